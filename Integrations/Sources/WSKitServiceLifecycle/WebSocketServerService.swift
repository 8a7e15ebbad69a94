import ServiceLifecycle
import WSKitServer

/// A ``WebSocketServer`` as a ServiceLifecycle `Service`: `run()` starts the server, and on
/// graceful shutdown (SIGTERM or SIGINT through `ServiceGroup`, or another service ending) it
/// shuts down the WSKit way — stop accepting, 1001 to every connection, wait up to
/// `shutdownTimeout`, close the rest — and returns. Task cancellation shuts down the same way.
///
/// ```swift
/// let group = ServiceGroup(
///     services: [WebSocketServerService(server)],
///     gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
/// try await group.run()
/// ```
public struct WebSocketServerService<Context>: Service {
    /// The server this service runs.
    public let server: WebSocketServer<Context>

    /// Runs `server` (not started yet) as a service.
    public init(_ server: WebSocketServer<Context>) {
        self.server = server
    }

    public func run() async throws {
        try server.start()
        // Suspends until graceful shutdown or cancellation; both end in the server's shutdown.
        try? await gracefulShutdown()
        server.shutdown()
    }
}
