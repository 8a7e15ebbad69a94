import WSKitMessaging
import WSKitRPC
import WSKitRouter

/// The plugins of every benchmark router: messaging and RPC.
public struct BenchPlugins: MessagingInstalled, RPCInstalled {
    public var messaging = MessagingPlugin()
    public var rpc = RPCPlugin()
    /// Messaging and RPC with their defaults.
    public init() {}
}

/// The router the benchmarks host: `CHAT` answered with a typed `CHAT_ACK`, and the `BENCH_ECHO`
/// RPC that `wskit-bench load echo --envelope` calls, replying with the text it got.
///
/// The same router is served by WSKit's server (`wskit-bench serve rpc`) and by Vapor and
/// Hummingbird (`wskit-host-bench` in `Integrations/`), so that their figures differ only by host.
/// Inlinable so that each caller specialises the handlers for its connection data, as it would
/// had it written the router itself.
@inlinable
public func makeBenchRouter<Data: Sendable>(_ data: Data.Type = Data.self) -> Router<Data, BenchPlugins> {
    let router = Router<Data, BenchPlugins>()
    router.on(ChatMessage.self) { ctx in
        ctx.send(ChatAck.self, .init(roomId: ctx.payload.roomId, length: ctx.payload.text.utf8.count))
    }
    router.rpc(BenchEcho.self) { ctx in
        _ = ctx.reply(.init(text: ctx.payload.text))
    }
    return router
}
