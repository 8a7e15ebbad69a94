import Glibc

/// A private `redis-server` child process for tests: a free loopback port, its own temporary
/// directory, no persistence. In the shared `WSKitLiveFixtures` target so every test target that
/// needs Redis (client, pub/sub, rate limiting, scale-out) uses the same one.
///
/// If `redis-server` is not installed, `init` throws a `Failure` that says so: tests that need
/// Redis fail loudly, never skip. Install it with `apt-get install -y redis-server`.
public final class RedisServerProcess: @unchecked Sendable {
    /// Why the server could not be started.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The port it listens on (kept across `restart()`).
    public private(set) var port: Int
    /// The `requirepass` password, if any.
    public let password: String?
    /// Its working directory (removed by `deinit`).
    public let directory: String
    private let executable: String
    private let extraArguments: [String]
    private var process: ChildProcess?

    /// Starts a server and waits until it answers. `arguments` are extra `redis-server` options
    /// such as `["--rename-command", "HELLO", ""]`.
    public init(password: String? = nil, arguments: [String] = []) async throws {
        do {
            executable = try installedExecutable(
                ["redis-server"],
                install: "redis-server is not installed, and tests that use Redis need a real server: install the Debian package with `apt-get install -y redis-server` (.ci/run does this)")
        } catch {
            throw Failure(description: "\(error)")
        }
        self.password = password
        extraArguments = arguments
        var template = Array("/tmp/wskit-redis-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Failure(description: "mkdtemp failed: errno \(errno)") }
        directory = String(cString: made)
        port = freePort()
        // A port chosen by another test between our choice and the bind is retried on a new one.
        var attempt = 0
        while true {
            do {
                try await start()
                return
            } catch let failure as Failure where attempt < 3 && failure.description.contains("Address already in use") {
                attempt += 1
                port = freePort()
            }
        }
    }

    deinit {
        stop()
        _ = unlink(logPath)
        _ = rmdir(directory)
    }

    /// Whether the process is running.
    public var isRunning: Bool { process != nil }

    /// The process id (0 when stopped).
    public var processID: pid_t { process?.pid ?? 0 }

    /// The server's log (its standard output).
    private var logPath: String { directory + "/redis.log" }

    /// Starts the server (again) on the same port and waits until it says it accepts connections.
    /// Its own log line, not an answer on the port: with tests running in parallel, another
    /// test's server may hold the port, and this one then exits with "Address already in use".
    public func start() async throws {
        guard process == nil else { return }
        var arguments = [
            "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", directory, "--daemonize", "no",
        ]
        if let password { arguments += ["--requirepass", password] }
        arguments += extraArguments
        let child: ChildProcess
        do {
            child = try ChildProcess(executable, arguments, logPath: logPath)
            try await child.waitForLine("Ready to accept connections", timeout: 10) { $0.contains("Ready to accept connections") }
        } catch {
            throw Failure(description: "\(error)")
        }
        process = child
    }

    /// Stops the server gracefully (SIGTERM) and reaps it.
    public func stop() {
        process?.terminate()
        process = nil
    }

    /// Kills the server abruptly (SIGKILL) and reaps it: clients see their connections reset.
    public func kill() {
        process?.kill()
        process = nil
    }

    /// Stops and starts the server on the same port (its data is gone: nothing is persisted).
    public func restart() async throws {
        stop()
        try await start()
    }

    /// The last lines of the server's log, for failure messages.
    public func logTail() -> String { readTextFile(logPath, lastBytes: 2000) }
}
