import WSKitLiveFixtures

/// A `wskit-demo` child process (the binary SwiftPM built next to the test bundle), started on a
/// free port (`--port 0`); its port is read from the line it prints when listening.
struct DemoProcess: Sendable {
    let process: ChildProcess
    let port: Int

    /// Starts `wskit-demo --port 0 <arguments>` and waits until it listens.
    static func start(arguments: [String]) async throws -> DemoProcess {
        let process = try ChildProcess(try builtExecutable("wskit-demo"), ["--port", "0"] + arguments)
        let marker = "http://127.0.0.1:"
        let line = try await process.waitForLine("the line with its URL") { $0.contains(marker) }
        guard let range = line.firstRange(of: marker), let port = Int(line[range.upperBound...].prefix { $0.isNumber }) else {
            throw ChildProcess.Failure("wskit-demo printed no port: \(line)")
        }
        return DemoProcess(process: process, port: port)
    }

    /// SIGTERM, then waits for a graceful exit (SIGKILL after 10 s).
    func stop() { process.terminate() }
}
