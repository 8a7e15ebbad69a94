import Testing
import WSKitClient
import WSKitCompositionApp
import WSKitContract

/// One suite of wire-level checks, run against each host of the composition example's routers
/// (WSKit's server, Vapor, Hummingbird), driven by WSKit's own Swift client: the same upgrade
/// hook, typed session, plugins and wire protocol on all three.
@Suite("Composition example's routers on every host", .serialized)
struct CompositionWireTests {
    /// Runs `body` with the port of a fresh `host`, stopping the host afterwards.
    static func withHost(_ host: CompositionHost, _ body: (Int) async throws -> Void) async throws {
        let running = try await host.start()
        do {
            try await body(running.port)
        } catch {
            await running.stop()
            throw error
        }
        await running.stop()
    }

    /// A client connected as `token` to 127.0.0.1:`port`.
    static func connect(
        port: Int, token: String, outboundValidation: OutboundValidation = .enabled
    ) async throws -> WebSocketClient {
        let client = WebSocketClient(configuration: WebSocketClientConfiguration(
            url: try WebSocketURL("ws://127.0.0.1:\(port)/?token=\(token)"),
            reconnect: ReconnectPolicy(isEnabled: false),
            requestTimeout: .seconds(30),
            outboundValidation: outboundValidation))
        try await client.connect()
        return client
    }

    /// Runs `body` with a client connected as `token` to a fresh `host`.
    static func withClient(
        _ host: CompositionHost, token: String, outboundValidation: OutboundValidation = .enabled,
        _ body: (WebSocketClient) async throws -> Void
    ) async throws {
        try await withHost(host) { port in
            let client = try await connect(port: port, token: token, outboundValidation: outboundValidation)
            try await body(client)
            await client.close()
        }
    }

    @Test("the upgrade hook refuses a missing or malformed token (401; 400 on Hummingbird)",
          arguments: CompositionHost.allCases)
    func refusal(host: CompositionHost) async throws {
        try await Self.withHost(host) { port in
            for query in ["", "?token=nobody"] {
                let client = WebSocketClient(configuration: WebSocketClientConfiguration(
                    url: try WebSocketURL("ws://127.0.0.1:\(port)/\(query)"),
                    reconnect: ReconnectPolicy(isEnabled: false)))
                do {
                    try await client.connect()
                    Issue.record("\(host): connected without a valid token (\(query))")
                    await client.close()
                } catch {
                    guard case let .connectionFailed(info)? = error as? WebSocketClientError,
                          case let .handshakeFailed(.unexpectedStatus(status)) = info.cause else {
                        Issue.record("\(host): \(error)")
                        continue
                    }
                    #expect(status.code == host.refusalStatus, "\(host)")
                }
            }
        }
    }

    @Test("the session is typed from the upgrade: GET_PROFILE answers with the token's user and role",
          arguments: CompositionHost.allCases)
    func typedSession(host: CompositionHost) async throws {
        try await Self.withClient(host, token: "ada:admin") { client in
            let profile = try await client.request(GetProfile.self)
            #expect(profile == Profile.Payload(userId: "ada", displayName: "ada", role: "admin"), "\(host)")
        }
    }

    @Test("a merged feature's RPC streams progress, then its result", arguments: CompositionHost.allCases)
    func rpcProgress(host: CompositionHost) async throws {
        try await Self.withClient(host, token: "bob:member") { client in
            let progress = ProgressLog()
            let result = try await client.request(RunJob.self, .init(steps: 3, name: "build")) { progress.append($0.done) }
            #expect(progress.values == [1, 2], "\(host)")
            #expect(result == RunJob.Response(name: "build", done: 3, of: 3), "\(host)")
        }
    }

    @Test("an invalid payload is INVALID_ARGUMENT naming the failing field", arguments: CompositionHost.allCases)
    func validation(host: CompositionHost) async throws {
        try await Self.withClient(host, token: "bob:member", outboundValidation: .disabled) { client in
            do {
                _ = try await client.request(RunJob.self, .init(steps: 99, name: ""))
                Issue.record("\(host): an invalid job was accepted")
            } catch {
                let wire = try #require((error as? WebSocketClientError)?.serverError, "\(host): \(error)")
                #expect(wire.code == .invalidArgument, "\(host)")
                #expect("\(wire.details ?? [:])".contains("steps"), "\(host): \(wire)")
            }
        }
    }

    @Test("per-handler middleware refuses a member; a handler's data change and push reach the client",
          arguments: CompositionHost.allCases)
    func middlewareAndPush(host: CompositionHost) async throws {
        try await Self.withClient(host, token: "eve:member") { client in
            let issues = client.issues()
            _ = try client.send(ResetJobs.self)
            var denied: WireError?
            for await issue in issues {
                if case let .serverError(error) = issue { denied = error; break }
            }
            #expect(denied?.code == .permissionDenied, "\(host)")

            let pushes = client.messages(of: Profile.self)
            _ = try client.send(Rename.self, .init(displayName: "Eve E"))
            var pushed: Profile.Payload?
            for await push in pushes { pushed = push.payload; break }
            #expect(pushed?.displayName == "Eve E", "\(host)")
            #expect(try await client.request(GetProfile.self).displayName == "Eve E", "\(host)")
        }
    }

    @Test("two connections of one user keep their own typed sessions", arguments: CompositionHost.allCases)
    func separateSessions(host: CompositionHost) async throws {
        try await Self.withHost(host) { port in
            let first = try await Self.connect(port: port, token: "ann:member")
            let second = try await Self.connect(port: port, token: "ann:admin")
            _ = try first.send(Rename.self, .init(displayName: "First"))
            #expect(try await first.request(GetProfile.self).displayName == "First", "\(host)")
            let other = try await second.request(GetProfile.self)
            #expect(other.displayName == "ann" && other.role == "admin", "\(host)")
            await first.close()
            await second.close()
        }
    }
}

/// Progress values seen by a request's callback, in order.
final class ProgressLog {
    private var log: [Int] = []
    func append(_ value: Int) { log.append(value) }
    var values: [Int] { log }
}
