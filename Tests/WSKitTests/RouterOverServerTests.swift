import Testing
import WSKit
import WSKitMessaging
import WSKitRPC
import WSKitTestMessages
import WSKitLiveFixtures
import WSKitValidation

struct Visitor: Sendable { var name: String }

struct HostedPlugins: MessagingInstalled, RPCInstalled {
    var messaging = MessagingPlugin()
    var rpc = RPCPlugin()
}

/// A router hosted on the epoll server, driven over real sockets by a raw client.
@Suite("Router hosted on the epoll server")
struct RouterOverServerTests {
    static func runtime() throws -> RouterRuntime<Visitor, HostedPlugins> {
        let router = Router<Visitor, HostedPlugins>()
        router.on(Routed.Say.self) { ctx in
            ctx.send(Routed.Said.self, .init(text: ctx.payload.text, name: ctx.data.name))
        }
        router.rpc(Routed.Countdown.self) { ctx in
            for n in stride(from: ctx.payload.from, to: 0, by: -1) { _ = ctx.progress(.init(n: n)) }
            _ = ctx.reply(.init(n: 0))
        }
        return try router.build(plugins: HostedPlugins())
    }

    static func withRouterServer(_ body: (Int) throws -> Void) throws {
        let server = WebSocketServer(configuration: testConfiguration(), router: try runtime()) { request in
            guard let name = request.head.queryValue("name") else { return .refuse(.unauthorized("name required")) }
            return .accept(Visitor(name: name))
        }
        try server.start()
        defer { server.shutdown() }
        try body(server.port)
    }

    static func json(_ frame: RawClient.Frame) throws -> JSONValue {
        try frame.payload.withUnsafeBytes { try JSON.parse($0) }
    }

    @Test("typed data from the upgrade hook reaches the handler, and its typed reply comes back")
    func typedMessageRoundTrip() async throws {
        try await runBlocking {
            try Self.withRouterServer { port in
                #expect(try RawClient(port: port).handshake(path: "/ws").hasPrefix("HTTP/1.1 401"))
                let client = try RawClient.upgraded(port: port, path: "/ws?name=ada")
                client.sendText(#"{"type":"SAY","payload":{"text":"hi"}}"#)
                let reply = try Self.json(client.readFrame())
                #expect(reply["type"]?.stringValue == "SAID")
                #expect(reply["payload"]?["name"]?.stringValue == "ada")
                #expect(reply["payload"]?["text"]?.stringValue == "hi")
                #expect(reply["meta"]?["timestamp"] != nil)
            }
        }
    }

    @Test("an RPC streams its progress in order, then the reply, all correlated")
    func rpcWithProgress() async throws {
        try await runBlocking {
            try Self.withRouterServer { port in
                let client = try RawClient.upgraded(port: port, path: "/ws?name=bob")
                client.sendText(#"{"type":"COUNTDOWN","meta":{"correlationId":"c-1"},"payload":{"from":3}}"#)
                var seen: [String] = []
                while true {
                    let frame = try Self.json(client.readFrame())
                    #expect(frame["meta"]?["correlationId"]?.stringValue == "c-1")
                    let n = frame["payload"]?["n"]?.intValue ?? -1
                    seen.append("\(frame["type"]?.stringValue ?? "?") \(n)")
                    if frame["type"]?.stringValue == "TICK" { break }
                }
                #expect(seen == ["$ws:rpc-progress 3", "$ws:rpc-progress 2", "$ws:rpc-progress 1", "TICK 0"])
            }
        }
    }

    @Test("invalid input, unknown types and bad JSON get error envelopes and the connection stays open")
    func errorsKeepTheConnectionOpen() async throws {
        try await runBlocking {
            try Self.withRouterServer { port in
                let client = try RawClient.upgraded(port: port, path: "/ws?name=eve")
                client.sendText(#"{"type":"COUNTDOWN","meta":{"correlationId":"c-2"},"payload":{"from":9}}"#)
                let invalid = try Self.json(client.readFrame())
                #expect(invalid["type"]?.stringValue == "RPC_ERROR")
                #expect(invalid["payload"]?["code"]?.stringValue == "INVALID_ARGUMENT")
                #expect(invalid["meta"]?["correlationId"]?.stringValue == "c-2")

                client.sendText(#"{"type":"NO_SUCH_TYPE"}"#)
                let unknown = try Self.json(client.readFrame())
                #expect(unknown["type"]?.stringValue == "ERROR")

                client.sendText("{not json")
                #expect(try Self.json(client.readFrame())["type"]?.stringValue == "ERROR")

                client.sendText(#"{"type":"SAY","payload":{"text":"still here"}}"#)
                #expect(try Self.json(client.readFrame())["payload"]?["text"]?.stringValue == "still here")
            }
        }
    }
}
