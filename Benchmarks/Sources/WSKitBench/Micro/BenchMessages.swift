import WSKitContract
import WSKitMessaging
import WSKitRPC
import WSKitRouter
import WSKitValidation

/// The typed messages the router benchmarks and the RPC benchmark server use.
///
/// `CHAT` is a typical 5-field payload with constraints (the contract benchmarks' too);
/// `BENCH_ECHO` is the RPC the load generator calls (`wskit-bench load echo --envelope`).
struct ChatMessage: Message {
    struct Payload: Codable, Sendable, Validatable {
        @Length(1...2000) var text: String = ""
        @Pattern("^[a-z0-9-]+$") var roomId: String = ""
        @InRange(1...500) var limit: Int? = nil
        @InRange(0.0...1.0) var ratio: Double = 0
        var urgent: Bool = false
        init() {}
    }
    static let type = "CHAT"
}

/// The acknowledgement a `CHAT` handler sends back.
struct ChatAck: Message {
    struct Payload: Codable, Sendable {
        var roomId: String
        var length: Int
    }
    static let type = "CHAT_ACK"
}

/// The benchmark RPC: replies with the text it got.
struct BenchEcho: RPC {
    struct Payload: Codable, Sendable {
        var text: String
    }
    typealias Response = BenchEchoReply.Payload
    static let responseType = BenchEchoReply.type
    static let type = "BENCH_ECHO"
}

/// The reply to `BENCH_ECHO`.
struct BenchEchoReply: Message {
    typealias Payload = BenchEcho.Payload
    static let type = "BENCH_ECHO_REPLY"
}

/// The plugins of every benchmark router: messaging and RPC.
struct BenchPlugins: MessagingInstalled, RPCInstalled {
    var messaging = MessagingPlugin()
    var rpc = RPCPlugin()
}

/// The router the benchmarks and the RPC benchmark server host.
func makeBenchRouter<Data: Sendable>(_ data: Data.Type = Data.self) -> Router<Data, BenchPlugins> {
    let router = Router<Data, BenchPlugins>()
    router.on(ChatMessage.self) { ctx in
        ctx.send(ChatAck.self, .init(roomId: ctx.payload.roomId, length: ctx.payload.text.utf8.count))
    }
    router.rpc(BenchEcho.self) { ctx in
        _ = ctx.reply(.init(text: ctx.payload.text))
    }
    return router
}

/// The inbound `CHAT` frame the benchmarks dispatch.
let chatFrame = Array(
    #"{"type":"CHAT","meta":{"correlationId":"8f14e45f-ceea-4e7a-9b7c-1e8f0f2a9d11"},"payload":{"text":"hello, world","roomId":"room-1","limit":50,"ratio":0.5,"urgent":true}}"#.utf8)

/// The inbound `BENCH_ECHO` frame the benchmarks dispatch.
let benchEchoFrame = Array(#"{"type":"BENCH_ECHO","meta":{"correlationId":"c0000001"},"payload":{"text":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}"#.utf8)
