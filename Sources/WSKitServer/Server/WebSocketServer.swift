import CWSKitShims
import Glibc
import Synchronization
import WSKitProtocol

/// A WebSocket server on Linux epoll: `loopCount` event-loop threads, each with its own
/// SO_REUSEPORT listener, read buffer and connections (ADR 0002).
///
/// ```swift
/// let server = WebSocketServer(configuration: .init(port: 9001), behavior: .init(initial: ()) { ws, message in
///     ws.send(message)
/// })
/// try server.run()   // until SIGINT/SIGTERM, then a graceful shutdown
/// ```
public final class WebSocketServer<Context>: Sendable {
    /// The configuration the server was created with.
    public let configuration: ServerConfiguration
    let shared: ServerShared<Context>
    private let runtime = Mutex<Runtime>(Runtime())

    private struct Runtime: @unchecked Sendable {
        enum Phase { case idle, running, stopped }
        var phase = Phase.idle
        var loops: [EventLoop] = []
        var threads: [LoopThread] = []
        var port = 0
    }

    /// Creates a server; nothing is bound until `start()`.
    public init(configuration: ServerConfiguration = .default, behavior: WebSocketBehavior<Context>) {
        self.configuration = configuration
        shared = ServerShared(configuration: configuration, behavior: behavior)
    }

    /// The bound port (useful with `port: 0`), or 0 before `start()`.
    public var port: Int { runtime.withLock { $0.port } }

    /// The event loops, in order; empty before `start()`.
    public var loops: [EventLoop] { runtime.withLock { $0.loops } }

    /// Sockets currently open, handshaking or upgraded.
    public var connectionCount: Int { shared.connectionCount }

    /// Unsent bytes all connections hold now (their backlogs after the last flush), the figure
    /// `maxTotalBufferedBytes` caps.
    public var totalBufferedBytes: Int { shared.bufferedBytes.current }

    /// Binds the listeners and starts the loop threads; returns once the server accepts.
    public func start() throws(ServerError) {
        try configuration.validate()
        if let tls = configuration.tls {
            do throws(TLSError) { try shared.tls.install(tls) } catch { throw .tls(error) }
        }
        try runtime.withLock { (runtime) throws(ServerError) in
            guard runtime.phase == .idle else { throw ServerError.alreadyStarted }
            cwskit_ignore_sigpipe()
            var loops: [EventLoop] = []
            var port = configuration.port
            do throws(ServerError) {
                for index in 0 ..< configuration.loopCount {
                    let loop = try EventLoop(index: index, readBufferSize: configuration.readBufferSize, tickInterval: configuration.timerResolution, metrics: shared.metricHandles)
                    let fd = cwskit_listen_tcp(configuration.host, Int32(port), 1024, configuration.loopCount > 1 ? 1 : 0)
                    guard fd >= 0 else { throw ServerError.system("listen on \(configuration.host):\(port)", -fd) }
                    if port == 0 { port = Int(cwskit_local_port(fd)) }
                    let listener = Listener(fd: fd, loop: loop, shared: shared)
                    guard loop.register(listener, interest: .readable) else {
                        Glibc.close(fd)
                        throw ServerError.system("epoll_ctl", errno)
                    }
                    loops.append(loop)
                }
            } catch {
                for loop in loops { loop.forEachSocket { loop.closeSocket($0) } }
                throw error
            }
            var threads: [LoopThread] = []
            for loop in loops {
                threads.append(try LoopThread { loop.run() })
            }
            runtime.loops = loops
            runtime.threads = threads
            runtime.port = port
            runtime.phase = .running
        }
        shared.logger(.notice, "listening on \(configuration.host):\(port)", ["loops": "\(configuration.loopCount)"])
    }

    /// Graceful shutdown: stop accepting, answer handshakes in progress with 503, send 1001 to
    /// every connection, wait for close handshakes up to `shutdownTimeout`, close the rest,
    /// and join the loop threads. Safe to call more than once and from any thread but a loop's.
    public func shutdown() {
        let (loops, threads) = runtime.withLock { runtime -> ([EventLoop], [LoopThread]) in
            guard runtime.phase == .running else { return ([], []) }
            runtime.phase = .stopped
            defer { runtime.threads = [] }
            return (runtime.loops, runtime.threads)
        }
        guard !loops.isEmpty else { return }
        shared.markShuttingDown()
        for loop in loops {
            loop.execute { loop.forEachSocket { $0.beginShutdown() } }
        }
        let deadline = cwskit_monotonic_ns() &+ configuration.shutdownTimeout.saturatingNanoseconds
        while shared.connectionCount > 0, cwskit_monotonic_ns() < deadline {
            usleep(5_000)
        }
        for loop in loops { loop.stop() }
        for thread in threads { thread.join() }
        shared.logger(.notice, "stopped")
    }

    /// Starts the server and blocks until SIGINT or SIGTERM, then shuts down gracefully.
    public func run() throws(ServerError) {
        let signals = cwskit_shutdown_signal_fd()
        guard signals >= 0 else { throw ServerError.system("eventfd", errno) }
        try start()
        _ = cwskit_wait_readable(signals, -1)
        cwskit_eventfd_drain(signals)
        shared.logger(.notice, "shutting down")
        shutdown()
    }
}
