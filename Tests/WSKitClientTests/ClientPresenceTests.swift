import Testing
import WSKit
import WSKitContract
import WSKitLiveFixtures
import WSKitMessaging
import WSKitPresence
import WSKitValidation
@testable import WSKitClient

struct PresenceGuest: Sendable { var name: String }

/// Client → server: close my connection with 1012 (the client reconnects).
struct Restart: Message {
    typealias Payload = Empty
    static let type = "RESTART"
}

struct PresencePlugins: MessagingInstalled, PresenceInstalled {
    var messaging = MessagingPlugin()
    var presence = PresencePlugin()
}

/// A server that tracks every connection in `lobby` under its token and subscribes it.
final class PresenceServer: Sendable {
    private let server: WebSocketServer<RouterSession<PresenceGuest, PresencePlugins>>

    init() throws {
        let router = Router<PresenceGuest, PresencePlugins>()
        router.onOpen { ctx in
            try await ctx.presence.track("lobby", key: ctx.data.name, meta: ["name": .string(ctx.data.name)])
            try await ctx.presence.subscribe("lobby")
        }
        router.on(Restart.self) { ctx in ctx.close(code: 1012, reason: "restart") }
        var configuration = ServerConfiguration(port: 0, loopCount: 1)
        configuration.shutdownTimeout = .milliseconds(300)
        configuration.logger = NoLogger()
        server = WebSocketServer(configuration: configuration, router: try router.build(plugins: PresencePlugins())) { request in
            .accept(PresenceGuest(name: request.head.queryValue("access_token") ?? "anonymous"))
        }
        try server.start()
    }

    var url: String { "ws://127.0.0.1:\(server.port)/ws" }

    deinit {
        let server = self.server
        inBackground { server.shutdown() }
    }
}

@Suite("The Swift client's presence model against a WSKit server")
struct ClientPresenceTests {
    func client(_ server: PresenceServer, name: String) throws -> WebSocketClient {
        var configuration = WebSocketClientConfiguration(url: try WebSocketURL(server.url))
        configuration.auth = ClientAuth(placement: .query) { name }
        configuration.reconnect = ReconnectPolicy(initialDelay: .milliseconds(20))
        return WebSocketClient(configuration: configuration)
    }

    @Test("joins and leaves with came-online/went-offline; a reconnect rebuilds the list without duplicates")
    func modelAcrossAReconnect() async throws {
        let server = try PresenceServer()
        defer { withExtendedLifetime(server) {} }
        let ada = try client(server, name: "ada")
        let lobby = ada.presence(of: "lobby")
        let log = Recorder<String>()
        lobby.onJoin { key, cameOnline, _ in log.append("+\(key)\(cameOnline ? " online" : "")") }
        lobby.onLeave { key, wentOffline, _ in log.append("-\(key)\(wentOffline ? " offline" : "")") }
        try await ada.connect()
        #expect(await eventually(timeout: 10) { lobby.users.map(\.key) == ["ada"] })

        let bob = try client(server, name: "bob")
        try await bob.connect()
        #expect(await eventually(timeout: 10) { lobby.users.map(\.key) == ["ada", "bob"] })
        // The join callbacks run after the list changed (not in the same step): wait for them too.
        #expect(await eventually(timeout: 10) { log.all == ["+ada online", "+bob online"] }, "\(log.all)")

        // The server drops Ada's connection; the client reconnects, the server subscribes it
        // again and sends a fresh state: Ada's meta changes ref, nothing is duplicated.
        let oldRef = try #require(lobby.metas(of: "ada").first?.ref)
        try ada.send(Restart.self)
        #expect(await eventually(timeout: 10) { lobby.metas(of: "ada").first?.ref != oldRef && lobby.metas(of: "ada").count == 1 })
        #expect(lobby.users.map(\.key) == ["ada", "bob"])
        #expect(lobby.metas(of: "bob").count == 1)
        #expect(!log.all.contains("-bob offline"))
        #expect(log.all.filter { $0 == "+bob online" }.count == 1)
        #expect(!log.all.contains("-ada offline"))

        await bob.close()
        #expect(await eventually(timeout: 10) { !lobby.isOnline("bob") })
        #expect(log.all.last == "-bob offline")
        await ada.close()
    }
}
