import Glibc
import Logging
import ServiceLifecycle
import Testing
import WSKitServer
import WSKitServiceLifecycle

@Suite("ServiceLifecycle: WebSocketServer as a Service", .serialized)
struct WebSocketServerServiceTests {
    static func echoServer() -> WebSocketServer<Void> {
        var configuration = ServerConfiguration(port: 0, loopCount: 1)
        configuration.logger = NoLogger()
        configuration.shutdownTimeout = .seconds(1)
        return WebSocketServer(configuration: configuration, behavior: WebSocketBehavior(initial: ()) { socket, message in
            socket.send(message)
        })
    }

    /// Whether a TCP connection to 127.0.0.1:`port` is accepted (the listener is open).
    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    static func waitUntil(_ condition: () -> Bool) async -> Bool {
        for _ in 0 ..< 500 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    @Test("the group starts the server; triggerGracefulShutdown shuts it down and run returns")
    func gracefulShutdownTrigger() async throws {
        let server = Self.echoServer()
        let group = ServiceGroup(services: [WebSocketServerService(server)], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        #expect(await Self.waitUntil { server.port != 0 })
        let port = server.port
        #expect(Self.accepts(port))
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(!Self.accepts(port))
    }

    @Test("SIGTERM to the process shuts the server down gracefully")
    func sigterm() async throws {
        let server = Self.echoServer()
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: WebSocketServerService(server))],
            gracefulShutdownSignals: [.sigterm], logger: Logger(label: "test")))
        let running = Task { try await group.run() }
        #expect(await Self.waitUntil { server.port != 0 })
        let port = server.port
        #expect(Self.accepts(port))
        // Give the group a moment to install its signal handler before raising the signal.
        try await Task.sleep(for: .milliseconds(200))
        kill(getpid(), SIGTERM)
        try await running.value
        #expect(!Self.accepts(port))
    }
}
