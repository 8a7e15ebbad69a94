import Glibc

/// A private `redis-server` child process for tests: a free loopback port, its own temporary
/// directory, no persistence. Self-contained (Glibc only); in the shared `WSKitTestSupport` target so
/// every test target that needs Redis (client, pub/sub, rate limiting, scale-out) uses the same one.
///
/// If `redis-server` is not installed, `init` throws a `Failure` that says so: tests that need
/// Redis fail loudly, never skip. Install it with `apt-get install -y redis-server`.
public final class RedisServerProcess: @unchecked Sendable {
    /// Why the server could not be started.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The port it listens on (kept across `restart()`).
    public let port: Int
    /// The `requirepass` password, if any.
    public let password: String?
    /// Its working directory (removed by `deinit`).
    public let directory: String
    private let executable: String
    private let extraArguments: [String]
    private var pid: pid_t = 0

    /// Starts a server. `arguments` are extra `redis-server` options such as
    /// `["--rename-command", "HELLO", ""]`.
    public init(password: String? = nil, arguments: [String] = []) throws {
        executable = try Self.findExecutable()
        self.password = password
        extraArguments = arguments
        var template = Array("/tmp/wskit-redis-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Failure(description: "mkdtemp failed: errno \(errno)") }
        directory = String(cString: made)
        port = try Self.freePort()
        try start()
    }

    deinit {
        stop()
        _ = unlink(directory + "/redis.log")
        _ = rmdir(directory)
    }

    /// Whether the process is running.
    public var isRunning: Bool { pid > 0 }

    /// The process id (0 when stopped).
    public var processID: pid_t { pid }

    /// Starts the server (again) on the same port and waits until it answers.
    public func start() throws {
        guard pid == 0 else { return }
        var arguments = [
            executable, "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", directory, "--logfile", directory + "/redis.log", "--daemonize", "no",
        ]
        if let password { arguments += ["--requirepass", password] }
        arguments += extraArguments
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Test runners block and ignore signals on their threads; the server must not inherit
        // that, or SIGTERM would never reach it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, &attributes, argv, environ)
        guard status == 0 else { throw Failure(description: "cannot spawn \(executable): \(String(cString: strerror(status)))") }
        pid = child
        try waitUntilReady()
    }

    /// Stops the server gracefully (SIGTERM) and reaps it.
    public func stop() { terminate(SIGTERM) }

    /// Kills the server abruptly (SIGKILL) and reaps it: clients see their connections reset.
    public func kill() { terminate(SIGKILL) }

    /// Stops and starts the server on the same port (its data is gone: nothing is persisted).
    public func restart() throws {
        stop()
        try start()
    }

    private func terminate(_ signal: Int32) {
        guard pid > 0 else { return }
        _ = Glibc.kill(pid, signal)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        pid = 0
    }

    /// The last lines of the server's log, for failure messages.
    public func logTail() -> String {
        guard let file = fopen(directory + "/redis.log", "r") else { return "(no log)" }
        defer { fclose(file) }
        var lines: [String] = []
        var buffer = [CChar](repeating: 0, count: 1024)
        while fgets(&buffer, Int32(buffer.count), file) != nil {
            let line = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            lines.append(String(decoding: line, as: UTF8.self))
            if lines.count > 20 { lines.removeFirst() }
        }
        return lines.joined()
    }

    /// Waits until the port answers a PING (any reply, `-NOAUTH` included) or the process exits.
    private func waitUntilReady() throws {
        for _ in 0 ..< 500 {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                pid = 0
                throw Failure(description: "redis-server exited during startup:\n\(logTail())")
            }
            if Self.answersPing(port: port) { return }
            usleep(20_000)
        }
        stop()
        throw Failure(description: "redis-server did not answer on port \(port) within 10 s:\n\(logTail())")
    }

    private static func answersPing(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return false }
        let ping = Array("PING\r\n".utf8)
        guard write(fd, ping, ping.count) == ping.count else { return false }
        var byte: UInt8 = 0
        return read(fd, &byte, 1) == 1 && (byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-"))
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    /// A port the kernel just handed out on 127.0.0.1 (released again for the server to bind).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket failed: errno \(errno)") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw Failure(description: "bind failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The `redis-server` on `PATH` (or in /usr/bin, /usr/local/bin).
    public static func findExecutable() throws -> String {
        var directories = ["/usr/bin", "/usr/local/bin", "/usr/sbin"]
        if let path = getenv("PATH") {
            directories = String(cString: path).split(separator: ":").map(String.init) + directories
        }
        for directory in directories where access(directory + "/redis-server", X_OK) == 0 {
            return directory + "/redis-server"
        }
        throw Failure(description: "redis-server is not installed, and tests that use Redis need a real server: install the Debian package with `apt-get install -y redis-server` (.ci/run does this)")
    }
}
