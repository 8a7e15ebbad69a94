import Glibc
import Synchronization

/// A child process for tests (a binary of this package, a system tool, a shell command): spawned
/// with its own arguments and environment, its standard output and error captured in one log
/// file, waited on without holding a cooperative-pool thread, and stopped (then reaped) when the
/// test is done, at the latest by `deinit`.
///
/// ```swift
/// let node = try ChildProcess(try builtExecutable("wskit-echo"), ["--port", "\(port)"])
/// try await node.waitForPort(port)
/// ```
///
/// A wait that fails throws a `Failure` carrying the end of the child's output, so the test
/// says why the child never became ready.
public final class ChildProcess: @unchecked Sendable {
    /// Why the child could not be started or never became ready.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, with the end of the child's output when there is one.
        public let description: String

        /// Creates a failure.
        public init(_ description: String) {
            self.description = description
        }
    }

    /// The child's process id.
    public let pid: pid_t
    /// The program that was started.
    public let executable: String
    /// The file holding everything the child wrote to standard output and standard error.
    public let logPath: String
    private let ownsLog: Bool
    /// Signals go to the child's process group (the child and every process it started).
    private let signalsGroup: Bool
    /// The wait status once the child has been reaped.
    private let reaped = Mutex<Int32?>(nil)

    /// Starts `executable` with `arguments`.
    ///
    /// - Parameters:
    ///   - environment: variables set (or replaced) on top of this process's environment.
    ///   - logPath: where standard output and error go; a temporary file (removed by `deinit`)
    ///     when nil.
    ///   - ownProcessGroup: start the child in a process group of its own and signal the whole
    ///     group, so that helpers it starts (a browser's renderers) stop with it.
    public init(
        _ executable: String, _ arguments: [String] = [], environment: [String: String] = [:],
        logPath: String? = nil, ownProcessGroup: Bool = false
    ) throws {
        self.executable = executable
        signalsGroup = ownProcessGroup
        if let logPath {
            self.logPath = logPath
            ownsLog = false
        } else {
            var template = Array("/tmp/wskit-child-XXXXXX".utf8CString)
            let fd = mkstemp(&template)
            guard fd >= 0 else { throw Failure("cannot create a log file for \(executable): errno \(errno)") }
            close(fd)
            self.logPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            ownsLog = true
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, self.logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Test runners block and ignore signals on their threads; the child must not inherit that,
        // or SIGTERM would never reach it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if ownProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        let argv = CStrings([executable] + arguments)
        let environment = CStrings(Self.environment(overriding: environment))
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, &attributes, argv.pointers, environment.pointers)
        guard status == 0 else {
            if ownsLog { unlink(self.logPath) }
            throw Failure("cannot start \(executable): \(String(cString: strerror(status)))")
        }
        pid = child
    }

    /// Starts `/bin/sh -c command` (for `ulimit` and the like; `exec` the program in it).
    public convenience init(shell command: String, logPath: String? = nil) throws {
        try self.init("/bin/sh", ["-c", command], logPath: logPath)
    }

    deinit {
        terminate()
        if ownsLog { unlink(logPath) }
    }

    // MARK: Output

    /// Everything the child wrote so far.
    public var output: String { readTextFile(logPath) }

    /// The last `count` bytes the child wrote, for failure messages.
    public func outputTail(_ count: Int = 2000) -> String { readTextFile(logPath, lastBytes: count) }

    // MARK: Waiting

    /// Waits until `condition` holds, polling it on a thread of its own (never on the cooperative
    /// pool). Throws when the child exits first or `timeout` seconds pass; `what` names the
    /// awaited event in that failure.
    public func waitUntil(_ what: String, timeout: Double = 20, _ condition: @escaping @Sendable () -> Bool) async throws {
        try await runBlocking {
            let deadline = monotonicSeconds() + timeout
            while true {
                if condition() { return }
                if let status = exitStatus {
                    throw Failure("\(executable) exited (wait status \(status)) before \(what):\n\(outputTail())")
                }
                guard monotonicSeconds() < deadline else {
                    throw Failure("\(executable) gave up waiting \(timeout) s for \(what):\n\(outputTail())")
                }
                usleep(20_000)
            }
        }
    }

    /// Waits until something accepts TCP connections on 127.0.0.1:`port`.
    public func waitForPort(_ port: Int, timeout: Double = 20) async throws {
        try await waitUntil("accepting connections on port \(port)", timeout: timeout) { acceptsConnections(port: port) }
    }

    /// Waits until the child writes a line that `matches`, and returns that line.
    @discardableResult
    public func waitForLine(
        _ what: String, timeout: Double = 20, where matches: @escaping @Sendable (Substring) -> Bool
    ) async throws -> String {
        let path = logPath
        try await waitUntil(what, timeout: timeout) { readTextFile(path).split(separator: "\n").contains(where: matches) }
        return String(output.split(separator: "\n").first(where: matches)!)
    }

    // MARK: Stopping

    /// The wait status once the child has exited (reaping it), nil while it runs.
    public var exitStatus: Int32? {
        reaped.withLock { reaped in
            if reaped == nil {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid { reaped = status }
            }
            return reaped
        }
    }

    /// Sends `signal` to the child (or its process group).
    public func signal(_ signal: Int32) {
        guard reaped.withLock({ $0 == nil }) else { return }
        Glibc.kill(signalsGroup ? -pid : pid, signal)
    }

    /// Stops the child gracefully: SIGTERM, then SIGKILL if it has not exited after `timeout`
    /// seconds; reaps it. Does nothing once the child was reaped.
    public func terminate(timeout: Double = 10) {
        guard exitStatus == nil else { return }
        signal(SIGTERM)
        let deadline = monotonicSeconds() + timeout
        while exitStatus == nil, monotonicSeconds() < deadline { usleep(10_000) }
        kill()
    }

    /// Kills the child at once (SIGKILL) and reaps it: its connections are reset.
    public func kill() {
        reaped.withLock { reaped in
            guard reaped == nil else { return }
            Glibc.kill(signalsGroup ? -pid : pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            reaped = status
        }
        // Helpers of a process group may outlive its leader.
        if signalsGroup { Glibc.kill(-pid, SIGKILL) }
    }

    /// CPU time (user + system) the child has used, in seconds; -1 when unknown.
    public var cpuSeconds: Double {
        let text = readTextFile("/proc/\(pid)/stat")
        // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
        guard let close = text.lastIndex(of: ")") else { return -1 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return -1 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// This process's environment with `overrides` applied, as `NAME=value` entries.
    private static func environment(overriding overrides: [String: String]) -> [String] {
        var entries: [String] = []
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            let name = text.prefix { $0 != "=" }
            if overrides[String(name)] == nil { entries.append(text) }
            entry += 1
        }
        return entries + overrides.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }
}

/// A NULL-terminated array of C strings that lives as long as the value.
private final class CStrings {
    let pointers: [UnsafeMutablePointer<CChar>?]

    init(_ strings: [String]) {
        pointers = strings.map { strdup($0) } + [nil]
    }

    deinit {
        for pointer in pointers { free(pointer) }
    }
}
