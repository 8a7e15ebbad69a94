import Glibc
import WSKit

/// `wskit-bench serve fanout`: one router with pub/sub and presence behind WSKit's server, so a
/// pub/sub broadcast and a presence diff to the same number of subscribers are measured against
/// the same process, in the same run (`Benchmarks/README.md`, ADR 0063).
///
/// - `/bcast`: as `wskit-echo`'s — every connection subscribes to topic `bcast`; what one sends
///   is published raw to it.
/// - `/presence`: every connection subscribes to the presence of room `bcast` (it gets the
///   state, then diffs); a connection that sends a message is tracked in the room under key
///   `sender` with the message as its meta (`{"m":"<message>"}`), so each message becomes one
///   `$ws:presence_diff` (the join of the new meta and the leave of the previous one) to every
///   subscriber. The load generator finds its marker inside the diff (`load bcast --find-marker`).
enum FanOutServer {
    struct Plugins: PubSubInstalled, PresenceInstalled {
        var pubsub = PubSubPlugin()
        var presence = PresencePlugin()
    }

    /// A connection's router side; touched only on its loop.
    final class Slot: @unchecked Sendable {
        let presence: Bool
        var connection: RouterConnection<Bool, Plugins>?
        init(presence: Bool) { self.presence = presence }
    }

    static let room = "bcast"

    static func run(arguments: [String]) -> Int32 {
        var port = 9003
        var loops = 1
        if let value = Subprocess.currentEnvironment()["PORT"], let number = Int(value) { port = number }
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--port": port = iterator.next().flatMap { Int($0) } ?? port
            case "--loops": loops = iterator.next().flatMap { Int($0) } ?? loops
            default:
                Console.log("usage: wskit-bench serve fanout [--port N] [--loops N]")
                return 2
            }
        }
        do {
            let router = Router<Bool, Plugins>()
            router.onOpen { ctx in
                if ctx.data { _ = try await ctx.presence.subscribe(room) } else { _ = try await ctx.topics.subscribe(room) }
            }
            let runtime = try router.build(plugins: Plugins())
            let pubsub = runtime.pubsub
            var configuration = ServerConfiguration(port: port, loopCount: loops)
            configuration.host = "127.0.0.1"
            configuration.maxBufferedBytes = 128 << 20  // as wskit-echo
            let behavior = WebSocketBehavior<Slot>(
                upgrade: { request in .accept(Slot(presence: request.path == "/presence")) },
                open: { ws in ws.context.connection = runtime.open(ServerTransport(ws), data: ws.context.presence) },
                message: { ws, message in
                    guard let connection = ws.context.connection else { return }
                    guard ws.context.presence else {
                        _ = pubsub.publishNow(raw: message.bytes, binary: !message.isText, to: room)
                        return
                    }
                    // As a handler would: a task that starts on the loop and prefers it.
                    let meta: JSONObject = ["m": .string(String(decoding: message.bytes, as: UTF8.self))]
                    connection.spawn {
                        _ = try? await ConnectionPresence(connection: connection).track(room, key: "sender", meta: meta)
                    }
                },
                close: { ws, code, reason in
                    ws.context.connection?.didClose(code: code.rawValue, reason: reason)
                    ws.context.connection = nil
                }
            )
            try WebSocketServer(configuration: configuration, behavior: behavior).run()
            return 0
        } catch {
            Console.log("wskit-bench serve fanout: \(error)")
            return 1
        }
    }
}
