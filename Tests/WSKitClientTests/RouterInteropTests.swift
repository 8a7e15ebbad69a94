import WSKitLiveFixtures
import Testing
import WSKit
import WSKitMessaging
import WSKitRPC
import WSKitTestMessages
import WSKitValidation
@testable import WSKitClient

struct Guest: Sendable { var name: String }

struct RoutedPlugins: MessagingInstalled, RPCInstalled {
    var messaging = MessagingPlugin()
    var rpc = RPCPlugin()
}

/// A WSKit router (messaging and RPC plugins) hosted on WebSocketServer, authenticating with a
/// token from the `access_token` query parameter or a `bearer.` subprotocol.
final class RoutedServer: Sendable {
    let cancellations = Recorder<CancellationReason?>()
    private let server: WebSocketServer<RouterSession<Guest, RoutedPlugins>>

    init() throws {
        let router = Router<Guest, RoutedPlugins>()
        router.on(Routed.Say.self) { ctx in
            ctx.send(Routed.Said.self, .init(text: ctx.payload.text, name: ctx.data.name))
        }
        router.rpc(Routed.Countdown.self) { ctx in
            for n in stride(from: ctx.payload.from, to: 0, by: -1) { _ = ctx.progress(.init(n: n)) }
            _ = ctx.reply(.init(n: 0))
        }
        let cancellations = self.cancellations
        router.rpc(Routed.Wait.self) { ctx in
            do {
                try await Task.sleep(for: .seconds(30))
            } catch {
                cancellations.append(ctx.cancellationReason)
                throw error
            }
            _ = ctx.reply(.init(n: -1))
        }
        var configuration = ServerConfiguration(port: 0, loopCount: 1)
        configuration.timerResolution = .milliseconds(50)
        configuration.shutdownTimeout = .milliseconds(300)
        configuration.logger = NoLogger()
        server = WebSocketServer(configuration: configuration, router: try router.build(plugins: RoutedPlugins())) { request in
            if let bearer = request.handshake.subprotocols.first(where: { $0.hasPrefix("bearer.") }) {
                return .accept(Guest(name: String(bearer.dropFirst("bearer.".count))), subprotocol: bearer)
            }
            guard let token = request.head.queryValue("access_token") else { return .refuse(.unauthorized("token required")) }
            return .accept(Guest(name: token))
        }
        try server.start()
    }

    var url: String { "ws://127.0.0.1:\(server.port)/ws" }

    deinit {
        let server = self.server
        inBackground { server.shutdown() }
    }
}

@Suite("WebSocketClient against the WSKit router (shared contract types)")
struct RouterInteropTests {
    func client(_ server: RoutedServer, auth: ClientAuth.Placement = .query, validate: Bool = true) throws -> WebSocketClient {
        var configuration = WebSocketClientConfiguration(url: try WebSocketURL(server.url))
        configuration.auth = ClientAuth(placement: auth) { "ada" }
        configuration.outboundValidation = validate ? .enabled : .disabled
        return WebSocketClient(configuration: configuration)
    }

    @Test("typed push, RPC with progress, and the connection's token as the server sees it")
    func roundTrip() async throws {
        let server = try RoutedServer()
        defer { withExtendedLifetime(server) {} }
        for placement in [ClientAuth.Placement.query, .bearerSubprotocol] {
            let client = try client(server, auth: placement)
            let said = client.messages(of: Routed.Said.self)
            try await client.connect()
            try client.send(Routed.Say.self, .init(text: "hi"))
            var iterator = said.makeAsyncIterator()
            let message = await iterator.next()
            #expect(message?.payload == .init(text: "hi", name: "ada"))
            #expect(message?.timestamp != nil)

            var ticks: [Int] = []
            let done = try await client.request(Routed.Countdown.self, .init(from: 3)) { ticks.append($0.n) }
            #expect(ticks == [3, 2, 1])
            #expect(done.n == 0)
            await client.close()
        }
    }

    @Test("validation: refused locally before sending, or answered INVALID_ARGUMENT by the router")
    func validation() async throws {
        let server = try RoutedServer()
        defer { withExtendedLifetime(server) {} }
        let strict = try client(server)
        try await strict.connect()
        do {
            _ = try await strict.request(Routed.Countdown.self, .init(from: 9))
            Issue.record("expected a local validation error")
        } catch {
            guard case .validation(let failure) = error else { Issue.record("got \(error)"); return }
            #expect(failure.issues.first?.path.description == "payload.from")
        }
        await strict.close()

        let lax = try client(server, validate: false)
        try await lax.connect()
        do {
            _ = try await lax.request(Routed.Countdown.self, .init(from: 9))
            Issue.record("expected INVALID_ARGUMENT")
        } catch {
            let wire = try #require(error.serverError)
            #expect(wire.code == .invalidArgument)
            #expect(wire.retryable == false)
            #expect(wire.details?["issues"]?[0]?["path"] == "payload.from")
        }
        do {
            _ = try await lax.request(Routed.Missing.self)
            Issue.record("expected UNIMPLEMENTED")
        } catch {
            #expect(error.serverError?.code == .unimplemented)
        }
        await lax.close()
    }

    @Test("cancelling the request's task cancels the handler on the server (aborted)")
    func cancellationReachesTheHandler() async throws {
        let server = try RoutedServer()
        defer { withExtendedLifetime(server) {} }
        let client = try client(server)
        try await client.connect()
        let task = Task { try await client.request(Routed.Wait.self) }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let outcome = await task.result
        guard case .failure(let error) = outcome, case .cancelled? = error as? WebSocketClientError else {
            Issue.record("got \(outcome)")
            return
        }
        #expect(await eventually { server.cancellations.all == [.aborted] })

        do {
            _ = try await client.request(Routed.Wait.self, timeout: .milliseconds(200))
            Issue.record("expected a timeout")
        } catch {
            // meta.timeoutMs gives the server the same deadline: whichever end fires first wins.
            switch error {
            case .timeout: break
            case .server(let wire) where wire.code == .deadlineExceeded: break
            default: Issue.record("got \(error)")
            }
        }
        #expect(await eventually { server.cancellations.count == 2 })
        #expect([.aborted, .deadlineExceeded].contains(server.cancellations.all.last ?? nil))
        await client.close()
    }

    @Test("a refused token (HTTP 401) ends connect() without retries")
    func refused() async throws {
        let server = try RoutedServer()
        defer { withExtendedLifetime(server) {} }
        var configuration = WebSocketClientConfiguration(url: try WebSocketURL(server.url))
        configuration.auth = ClientAuth { nil }
        let client = WebSocketClient(configuration: configuration)
        do {
            try await client.connect()
            Issue.record("expected a refusal")
        } catch {
            guard case .connectionFailed(let info) = error else { Issue.record("got \(error)"); return }
            #expect(info.httpStatus?.code == 401)
        }
    }
}
