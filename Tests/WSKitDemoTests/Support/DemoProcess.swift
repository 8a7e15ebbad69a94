import Glibc

/// A `wskit-demo` child process (the binary SwiftPM built next to the test bundle), started on a
/// free port; its port is read from the line it prints when listening. Stopped with SIGTERM.
final class DemoProcess {
    struct Failure: Error, CustomStringConvertible { let description: String }

    let port: Int
    let logPath: String
    private var pid: pid_t

    /// The built `wskit-demo` next to the running test bundle.
    static var executablePath: String {
        get throws {
            var buffer = [CChar](repeating: 0, count: 4096)
            let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
            guard count > 0 else { throw Failure(description: "cannot read /proc/self/exe") }
            var directory = String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            // .build/<config>/WSKitPackageTests.xctest (a file on Linux) → .build/<config>/
            while let slash = directory.lastIndex(of: "/") {
                directory = String(directory[..<slash])
                if access(directory + "/wskit-demo", X_OK) == 0 { return directory + "/wskit-demo" }
                if directory.hasSuffix(".build") || directory.isEmpty { break }
            }
            throw Failure(description: "wskit-demo was not built next to the tests (swift build --build-tests builds it)")
        }
    }

    /// Starts `wskit-demo --port 0 <arguments>` and waits until it listens.
    init(arguments: [String], logDirectory: String) throws {
        let executable = try Self.executablePath
        logPath = logDirectory + "/wskit-demo-\(UInt32.random(in: 0 ... .max)).log"
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw Failure(description: "pipe failed: errno \(errno)") }
        let argv = [executable, "--port", "0"] + arguments
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
        cArguments.append(nil)
        defer { for pointer in cArguments { free(pointer) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, &attributes, cArguments, environ)
        close(pipeEnds[1])
        guard status == 0 else {
            close(pipeEnds[0])
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(status)))")
        }
        pid = child
        let output = Self.readUntilListening(pipeEnds[0], timeout: 20)
        close(pipeEnds[0])
        guard let range = output.firstRange(of: "http://127.0.0.1:"),
              let port = Int(output[range.upperBound...].prefix { $0.isNumber }) else {
            Self.terminate(child)
            pid = 0
            throw Failure(description: "wskit-demo did not start: \(output) \(Self.tail(of: logPath))")
        }
        self.port = port
    }

    deinit { stop() }

    /// SIGTERM, then waits for a graceful exit (SIGKILL after 10 s).
    func stop() {
        guard pid > 0 else { return }
        Self.terminate(pid)
        pid = 0
    }

    private static func terminate(_ pid: pid_t) {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0 ..< 1000 {
            if waitpid(pid, &status, WNOHANG) == pid { return }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
    }

    private static func readUntilListening(_ fd: Int32, timeout: Int32) -> String {
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        for _ in 0 ..< timeout * 10 {
            if String(decoding: output, as: UTF8.self).contains("\n") { break }
            guard poll(&descriptor, 1, 100) >= 0 else { break }
            if descriptor.revents == 0 { continue }
            let count = read(fd, &chunk, chunk.count)
            if count <= 0 { break }
            output += chunk[..<count]
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The last part of the process's standard error.
    static func tail(of path: String) -> String {
        guard let file = fopen(path, "r") else { return "" }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes.suffix(2000), as: UTF8.self)
    }
}
