import CWSKitShims
import Glibc

/// A child process for tests (a server binary of this package, or a system tool), killed and
/// reaped when the test is done.
public final class ChildProcess {
    public let pid: pid_t

    /// Starts `/bin/sh -c command`; standard output and error go to `logPath`.
    public init(shell command: String, logPath: String = "/dev/null") throws {
        var pid: pid_t = 0
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
        defer { for pointer in argv { free(pointer) } }
        let result = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ)
        guard result == 0 else { throw ChildProcessError.spawn(result) }
        self.pid = pid
    }

    deinit { stop() }

    /// Sends SIGKILL and reaps the child.
    public func stop() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// CPU time (user + system) the child has used, in seconds.
    public var cpuSeconds: Double {
        guard let file = fopen("/proc/\(pid)/stat", "r") else { return -1 }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 1024)
        guard fgets(&line, Int32(line.count), file) != nil else { return -1 }
        let text = line.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
        guard let close = text.lastIndex(of: ")") else { return -1 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return -1 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Waits until something accepts TCP connections on 127.0.0.1:`port`.
    public func waitForPort(_ port: Int, timeout: Double = 20) -> Bool {
        let deadline = cwskitNow() + timeout
        while cwskitNow() < deadline {
            if let client = try? RawClient(port: port, timeout: 1) { _ = client; return true }
            usleep(50_000)
        }
        return false
    }
}

public enum ChildProcessError: Error { case spawn(Int32), missingBinary(String) }

/// The directory holding this test run's build products (where `wskit-echo` is built).
public func buildProductsDirectory() -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard length > 0 else { return "." }
    let path = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    var directory = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
    // The test runner lives inside `X.xctest/` on Linux? Walk up to the folder with executables.
    while !directory.isEmpty, access(directory + "/wskit-echo", X_OK) != 0, let slash = directory.lastIndex(of: "/") {
        directory = String(directory[..<slash])
    }
    return directory
}

/// A free TCP port on 127.0.0.1 (bound and released; good enough for tests).
public func freePort() -> Int {
    let fd = cwskit_listen_tcp("127.0.0.1", 0, 1, 0)
    defer { close(fd) }
    return Int(cwskit_local_port(fd))
}
