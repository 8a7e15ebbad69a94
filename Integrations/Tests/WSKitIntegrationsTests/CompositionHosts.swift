import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import Synchronization
import Vapor
import WSKit
import WSKitCompositionApp
import WSKitHostAdapter
import WSKitHummingbird
import WSKitVapor

/// The three hosts the composition example's app runs on, unchanged: WSKit's own epoll server,
/// Vapor and Hummingbird. Each starts on an ephemeral port of 127.0.0.1 with the app built by
/// `makeApp` and the example's upgrade hook `authenticate`.
enum CompositionHost: String, CaseIterable, Sendable, CustomStringConvertible {
    case wskit, vapor, hummingbird

    var description: String { rawValue }

    /// The status a refused upgrade gets: the hook's 401, except on Hummingbird, whose WebSocket
    /// upgrade answers every refused upgrade with an empty 400 (hummingbird-websocket 2.8.1).
    var refusalStatus: Int { self == .hummingbird ? 400 : 401 }

    /// A running host: its port, and how to stop it.
    struct Running: Sendable {
        let port: Int
        let stop: @Sendable () async -> Void
    }

    /// Starts the host with `router` (default: the composition example's app).
    func start(
        router: RouterRuntime<WSKitCompositionApp.Session, ExamplePlugins>? = nil
    ) async throws -> Running {
        let runtime = try router ?? makeApp()
        switch self {
        case .wskit:
            var configuration = ServerConfiguration(port: 0, loopCount: 1)
            configuration.logger = NoLogger()
            configuration.shutdownTimeout = .seconds(1)
            let server = WebSocketServer(configuration: configuration, router: runtime, upgrade: authenticate)
            try server.start()
            return Running(port: server.port, stop: { server.shutdown() })
        case .hummingbird:
            let router = Hummingbird.Router(context: BasicWSKitRequestContext.self)
            router.wskit("/", host: RouterHost(router: runtime, upgrade: authenticate))
            let port = PortBox()
            let app = Hummingbird.Application(
                router: router,
                server: .http1WebSocketUpgrade(webSocketRouter: router),
                configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in port.set(channel.localAddress?.port ?? -1) },
                logger: Logger(label: "hummingbird-test", factory: { _ in SwiftLogNoOpLogHandler() })
            )
            let task = Task { try await app.run() }
            let bound = try await port.wait()
            return Running(port: bound, stop: {
                task.cancel()
                _ = try? await task.value
            })
        case .vapor:
            var environment = Environment.testing
            environment.arguments = ["wskit-integration-tests"]
            let app = try await Vapor.Application.make(environment)
            app.logger = Logger(label: "vapor-test", factory: { _ in SwiftLogNoOpLogHandler() })
            app.wskit(host: RouterHost(router: runtime, upgrade: authenticate))
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            guard let bound = app.http.server.shared.localAddress?.port else {
                try await app.asyncShutdown()
                throw HostError.notBound
            }
            return Running(port: bound, stop: {
                await app.server.shutdown()
                try? await app.asyncShutdown()
            })
        }
    }

    enum HostError: Error { case notBound }
}

/// The port a server reports once it listens.
final class PortBox: Sendable {
    private let value = Mutex<Int?>(nil)

    func set(_ port: Int) { value.withLock { $0 = port } }

    func wait() async throws -> Int {
        for _ in 0 ..< 3000 {
            if let port = value.withLock({ $0 }) { return port }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw CompositionHost.HostError.notBound
    }
}
