#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process (posix_spawn) whose standard output the test reads line by line; killed on
/// `terminate()` or deinit.
final class ChildProcess: @unchecked Sendable {
    enum Failure: Error, CustomStringConvertible {
        case spawn(String, Int32)
        case noOutput(String)
        var description: String {
            switch self {
            case .spawn(let path, let code): "cannot start \(path) (errno \(code))"
            case .noOutput(let what): what
            }
        }
    }

    let pid: pid_t
    private let output: Int32
    private var buffered: [UInt8] = []

    init(_ path: String, _ arguments: [String]) throws {
        var pipeFDs: [Int32] = [-1, -1]
        guard pipe(&pipeFDs) == 0 else { throw Failure.spawn(path, errno) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipeFDs[0])
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, path, &actions, nil, argv, environ)
        close(pipeFDs[1])
        guard status == 0 else {
            close(pipeFDs[0])
            throw Failure.spawn(path, status)
        }
        self.pid = pid
        output = pipeFDs[0]
    }

    /// The next line of standard output, waiting at most `timeout` seconds.
    func readLine(timeout: Int32 = 30) throws -> String {
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffered[..<newline], as: UTF8.self)
                buffered.removeSubrange(...newline)
                return line
            }
            var descriptor = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, timeout * 1000) == 1 else {
                throw Failure.noOutput("no output from child \(pid) within \(timeout) s")
            }
            var chunk = [UInt8](repeating: 0, count: 1024)
            let count = read(output, &chunk, chunk.count)
            guard count > 0 else { throw Failure.noOutput("child \(pid) closed its output") }
            buffered += chunk[0 ..< count]
        }
    }

    /// Sends `signal` to the child.
    func signal(_ signal: Int32) { kill(pid, signal) }

    private var reaped = false

    /// Kills the child and reaps it (once).
    func terminate() {
        guard !reaped else { return }
        reaped = true
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    deinit {
        terminate()
        close(output)
    }
}
