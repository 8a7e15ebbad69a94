import Testing
import WSKit
import WSKitLiveFixtures
import WSKitMessaging
import WSKitRPC
import WSKitValidation
@testable import WSKitClient

/// Fire-and-forget (a `Message`) versus acknowledged (an `RPC` whose response is `Empty`), as
/// Socka distinguishes them, against a real router on a real server.
@Suite("Fire-and-forget and acknowledged calls")
struct AcknowledgedCallTests {
    /// Fire-and-forget: no output.
    struct Note: Message {
        struct Payload: Codable, Sendable { var text: String }
        static let type = "NOTE"
    }

    /// Acknowledged: empty output.
    struct Save: RPC {
        struct Payload: Codable, Sendable { var text: String }
        typealias Response = Empty
        static let type = "SAVE"
    }

    /// A router whose NOTE handler waits for `release()`; "bad" fails both handlers.
    final class Server: Sendable {
        let handled = Recorder<String>()
        private let released = Recorder<Bool>()
        private let server: WebSocketServer<RouterSession<Guest, RoutedPlugins>>

        init() throws {
            let router = Router<Guest, RoutedPlugins>()
            let handled = handled
            let released = released
            router.on(Note.self) { ctx in
                while released.count == 0 { try await Task.sleep(for: .milliseconds(5)) }
                if ctx.payload.text == "bad" { throw WireError(.failedPrecondition, "no bad notes") }
                handled.append("note:" + ctx.payload.text)
            }
            router.rpc(Save.self) { ctx in
                if ctx.payload.text == "bad" { throw WireError(.failedPrecondition, "no bad saves") }
                handled.append("save:" + ctx.payload.text)
                _ = ctx.reply(Empty())
            }
            var configuration = ServerConfiguration(port: 0, loopCount: 1)
            configuration.logger = NoLogger()
            configuration.shutdownTimeout = .milliseconds(300)
            server = WebSocketServer(configuration: configuration, router: try router.build(plugins: RoutedPlugins())) { _ in
                .accept(Guest(name: "ada"))
            }
            try server.start()
        }

        func release() { released.append(true) }

        var url: String { "ws://127.0.0.1:\(server.port)/ws" }

        deinit {
            let server = self.server
            inBackground { server.shutdown() }
        }
    }

    @Test("send returns before the server handled the message; a server failure reaches onError")
    func fireAndForget() async throws {
        let server = try Server()
        let client = WebSocketClient(configuration: .init(url: try WebSocketURL(server.url)))
        let issues = Recorder<String>()
        _ = client.onError { issue in
            if case .serverError(let error) = issue { issues.append(error.code.rawValue + ": " + error.message) }
        }
        try await client.connect()
        #expect(try client.send(Note.self, .init(text: "one")) == .sent)
        #expect(try client.send(Note.self, .init(text: "bad")) == .sent)
        #expect(server.handled.all.isEmpty, "send did not wait for the handler (it is still blocked)")
        server.release()
        #expect(await eventually(timeout: 10) { server.handled.all == ["note:one"] })
        #expect(await eventually(timeout: 10) { issues.all == ["FAILED_PRECONDITION: no bad notes"] })
        await client.close()
    }

    @Test("sendAcknowledged returns once the server handled it and throws the server's error")
    func acknowledged() async throws {
        let server = try Server()
        let client = WebSocketClient(configuration: .init(url: try WebSocketURL(server.url)))
        try await client.connect()
        try await client.sendAcknowledged(Save.self, .init(text: "one"))
        #expect(server.handled.all == ["save:one"], "acknowledged only after the handler ran")
        do {
            try await client.sendAcknowledged(Save.self, .init(text: "bad"))
            Issue.record("expected the server's error")
        } catch {
            guard case .server(let wire) = error else { Issue.record("expected .server, got \(error)"); return }
            #expect(wire.code == .failedPrecondition)
            #expect(wire.message == "no bad saves")
        }
        #expect(server.handled.all == ["save:one"])
        await client.close()
    }
}
