import Glibc

/// A child process started with `posix_spawnp`, with optional pipes to its stdin and stdout.
final class Subprocess {
    /// Where a child's stream goes.
    enum Stream {
        /// The parent's own stream.
        case inherit
        /// `/dev/null`.
        case null
        /// A pipe the parent reads (stdout) or writes (stdin).
        case pipe
        /// An open file descriptor of the parent (for example a log file).
        case descriptor(Int32)
    }

    struct SpawnError: Error, CustomStringConvertible {
        let description: String
    }

    let pid: pid_t
    let arguments: [String]
    private(set) var stdinFD: Int32 = -1
    private(set) var stdoutFD: Int32 = -1
    private var buffer: [UInt8] = []
    private var exitStatus: Int32?

    /// Starts `arguments[0]` (looked up in PATH) with `arguments`; `environment` entries are added
    /// to (or replace) the parent's.
    init(
        _ arguments: [String], stdin: Stream = .null, stdout: Stream = .inherit, stderr: Stream = .inherit,
        environment: [String: String] = [:]
    ) throws {
        precondition(!arguments.isEmpty)
        self.arguments = arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var toClose: [Int32] = []
        var parentIn: Int32 = -1, parentOut: Int32 = -1
        func setup(_ stream: Stream, target: Int32, readable: Bool) throws {
            switch stream {
            case .inherit:
                break
            case .null:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", readable ? O_RDONLY : O_WRONLY, 0)
            case .descriptor(let fd):
                posix_spawn_file_actions_adddup2(&actions, fd, target)
            case .pipe:
                var fds: [Int32] = [0, 0]
                guard pipe(&fds) == 0 else { throw SpawnError(description: "pipe: \(String(cString: strerror(errno)))") }
                // fds[0] reads, fds[1] writes; neither end leaks into other children.
                _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
                _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
                let childEnd = readable ? fds[0] : fds[1]
                posix_spawn_file_actions_adddup2(&actions, childEnd, target)
                toClose.append(childEnd)
                if readable { parentIn = fds[1] } else { parentOut = fds[0] }
            }
        }
        try setup(stdin, target: 0, readable: true)
        try setup(stdout, target: 1, readable: false)
        try setup(stderr, target: 2, readable: false)

        var env = Subprocess.currentEnvironment()
        for (key, value) in environment { env[key] = value }
        let envStrings = env.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let status = withCStrings(arguments) { argv in
            withCStrings(envStrings) { envp in
                posix_spawnp(&pid, argv[0]!, &actions, nil, argv, envp)
            }
        }
        for fd in toClose { close(fd) }
        guard status == 0 else {
            if parentIn >= 0 { close(parentIn) }
            if parentOut >= 0 { close(parentOut) }
            throw SpawnError(description: "cannot start \(arguments[0]): \(String(cString: strerror(status)))")
        }
        self.pid = pid
        stdinFD = parentIn
        stdoutFD = parentOut
    }

    deinit {
        if stdinFD >= 0 { close(stdinFD) }
        if stdoutFD >= 0 { close(stdoutFD) }
    }

    /// The next line of the child's stdout (without the newline), or nil at end of output or
    /// when `timeout` seconds pass first.
    func readLine(timeout: Double) -> String? {
        let deadline = Clock.seconds() + timeout
        while true {
            if let newline = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            guard stdoutFD >= 0 else { return nil }
            let left = deadline - Clock.seconds()
            if left <= 0 { return nil }
            var pfd = pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(min(left, 1) * 1000) + 1)
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { read(stdoutFD, $0.baseAddress, $0.count) }
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                close(stdoutFD)
                stdoutFD = -1
                if buffer.isEmpty { return nil }
                let line = String(decoding: buffer, as: UTF8.self)
                buffer = []
                return line
            }
            buffer += chunk[..<n]
        }
    }

    /// Writes `text` to the child's stdin.
    func write(_ text: String) {
        guard stdinFD >= 0 else { return }
        var text = text
        text.withUTF8 { bytes in _ = Glibc.write(stdinFD, bytes.baseAddress, bytes.count) }
    }

    /// Closes the child's stdin (end of input).
    func closeStdin() {
        if stdinFD >= 0 { close(stdinFD) }
        stdinFD = -1
    }

    /// Sends `signal` to the child.
    func kill(_ signal: Int32 = SIGTERM) {
        if exitStatus == nil { _ = Glibc.kill(pid, signal) }
    }

    /// Whether the child is still running (reaping it if it exited).
    var isRunning: Bool {
        if exitStatus != nil { return false }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid {
            exitStatus = status
            return false
        }
        return result == 0
    }

    /// Waits for the child to exit, sending SIGKILL after `timeout` seconds; returns its raw wait status.
    @discardableResult
    func wait(timeout: Double = .infinity) -> Int32 {
        if let exitStatus { return exitStatus }
        let deadline = Clock.seconds() + timeout
        while isRunning {
            if Clock.seconds() > deadline {
                _ = Glibc.kill(pid, SIGKILL)
                var status: Int32 = 0
                _ = waitpid(pid, &status, 0)
                exitStatus = status
                break
            }
            usleep(10_000)
        }
        return exitStatus ?? 0
    }

    /// SIGTERM, then SIGKILL after `grace` seconds.
    func stop(grace: Double = 5) {
        guard isRunning else { return }
        kill(SIGTERM)
        wait(timeout: grace)
    }

    /// Runs a command to completion and returns its stdout (trimmed) and exit status.
    static func output(_ arguments: [String], stderr: Stream = .null, timeout: Double = 60) -> (String, Int32)? {
        guard let process = try? Subprocess(arguments, stdout: .pipe, stderr: stderr) else { return nil }
        var lines: [String] = []
        let deadline = Clock.seconds() + timeout
        while let line = process.readLine(timeout: max(0.1, deadline - Clock.seconds())) { lines.append(line) }
        let status = process.wait(timeout: 5)
        return (lines.joined(separator: "\n").trimmingCharacters(in: " \n\t"), status)
    }

    /// The environment of this process.
    static func currentEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}

/// Calls `body` with a NULL-terminated array of C strings.
func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    return body(pointers + [nil])
}

extension String {
    /// The string without leading and trailing characters of `set`.
    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
