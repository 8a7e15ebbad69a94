import Glibc

/// Runs one scenario against one server: starts the server pinned to one core, the generator
/// (`wskit-bench load`, this executable) pinned to the other, and returns the generator's report.
final class MacroRunner {
    /// Why a run produced no result.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let paths: Paths
    let duration: Double
    let warmup: Double
    let serverCPU: String
    let clientCPU: String
    /// Seconds to wait, at most, for the machine to be quiet before each run.
    let quietWait: Double
    /// The log of servers' and generators' stderr.
    let logFD: Int32
    private var portSequence = 0

    init(paths: Paths, duration: Double, warmup: Double, quietWait: Double, logPath: String,
         serverCPU: String = "0", clientCPU: String = "1") {
        self.paths = paths
        self.duration = duration
        self.warmup = warmup
        self.quietWait = quietWait
        self.serverCPU = serverCPU
        self.clientCPU = clientCPU
        FileIO.makeDirectories(FileIO.dirname(of: logPath))
        logFD = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    }

    deinit { if logFD >= 0 { close(logFD) } }

    private func nextPort() -> Int {
        // Walk a window of ports so a port left in TIME_WAIT by one run is not reused at once.
        while true {
            let port = 19_300 + portSequence % 400
            portSequence += 4
            if !Network.accepts(port: port) { return port }
        }
    }

    private func log(_ text: String) {
        var line = text + "\n"
        line.withUTF8 { _ = write(logFD, $0.baseAddress, $0.count) }
    }

    /// Waits (at most `quietWait` seconds) for the machine to use less than 0.3 cores.
    func waitUntilQuiet() {
        guard quietWait > 0 else { return }
        let deadline = Clock.seconds() + quietWait
        while Clock.seconds() < deadline {
            if SystemInfo.busyCores(over: 0.5) < 0.3 { return }
        }
    }

    private func startServer(_ server: ServerSpec, port: Int) throws -> Subprocess {
        log("== \(server.name) on port \(port): \(server.command(port).joined(separator: " "))")
        let process = try Subprocess(
            ["taskset", "-c", serverCPU] + server.command(port), stdin: .null, stdout: .descriptor(logFD),
            stderr: .descriptor(logFD), environment: ["PORT": String(port)])
        guard Network.waitForPort(port, process: process) else {
            process.stop(grace: 1)
            throw Failure(description: "\(server.name) did not start listening on port \(port)")
        }
        Clock.sleep(0.2)
        return process
    }

    private func startGenerator(_ arguments: [String], port: Int, pids: [Int32], gated: Bool = false) throws -> Subprocess {
        let command = ["taskset", "-c", clientCPU, Paths.executable, "load"] + arguments
            + ["--port", String(port), "--pids", pids.map(String.init).joined(separator: ",")]
        log("   load: \(command.joined(separator: " "))")
        return try Subprocess(command, stdin: gated ? .pipe : .null, stdout: .pipe, stderr: .descriptor(logFD))
    }

    /// Echo, RPC or broadcast traffic against a fresh server.
    func runTraffic(_ scenario: Scenario, on server: ServerSpec) throws -> LoadResult {
        waitUntilQuiet()
        let port = nextPort()
        let process = try startServer(server, port: port)
        defer { process.stop(grace: 3) }
        let generator = try startGenerator(scenario.loadArguments(duration: duration, warmup: warmup), port: port, pids: [process.pid])
        defer { generator.stop(grace: 2) }
        let line = generator.readLine(timeout: warmup + duration + 120)
        if !process.isRunning { throw Failure(description: "\(server.name) exited during the run") }
        guard let line, let result = LoadResult(line: line) else {
            throw Failure(description: "the load generator gave no result for \(server.name)")
        }
        log("   " + line)
        return result
    }

    /// Idle connections held, over `processes` servers (one port each) and as many generators,
    /// each from its own source address. Server memory is sampled once everyone is connected.
    func runHold(_ scenario: Scenario, on server: ServerSpec, processes: Int) throws -> LoadResult {
        waitUntilQuiet()
        var servers: [Subprocess] = []
        var ports: [Int] = []
        defer { servers.forEach { $0.stop(grace: 5) } }
        for _ in 0 ..< processes {
            let port = nextPort()
            servers.append(try startServer(server, port: port))
            ports.append(port)
        }
        Clock.sleep(0.3)
        let pids = servers.map(\.pid)
        let before = ProcessSample.rssKB(pids)
        var generators: [Subprocess] = []
        defer { generators.forEach { $0.stop(grace: 5) } }
        let share = scenario.conns / processes
        for (index, port) in ports.enumerated() {
            let conns = index == processes - 1 ? scenario.conns - share * (processes - 1) : share
            var arguments = ["hold", "--gate", "--conns", String(conns), "--pending", "512", "--label", scenario.key]
            if processes > 1 { arguments += ["--sources", "127.0.0.\(2 + index)"] }
            generators.append(try startGenerator(arguments, port: port, pids: [servers[index].pid], gated: true))
        }
        var connected = 0.0, slowest = 0.0
        for generator in generators {
            guard let line = generator.readLine(timeout: 180), let ready = LoadResult(line: line) else {
                throw Failure(description: "a load generator did not report its connections")
            }
            connected += ready["connected"]
            slowest = max(slowest, ready["connect_s"])
        }
        Clock.sleep(1.0)  // let the servers settle (lazy buffers, timers)
        let after = ProcessSample.rssKB(pids)
        for (index, process) in servers.enumerated() where !process.isRunning {
            throw Failure(description: "\(server.name) process \(index + 1) exited while holding connections")
        }
        var held = 0.0, other = 0.0
        for generator in generators {
            generator.closeStdin()
            guard let line = generator.readLine(timeout: 60), let final = LoadResult(line: line) else {
                throw Failure(description: "a load generator gave no final report")
            }
            log("   " + line)
            held += final["held"]
            other = max(other, final["other_cpu"])
        }
        return LoadResult(values: [
            "connected": connected, "held": held, "conn_per_s": slowest > 0 ? connected / slowest : 0,
            "kib_per_conn": connected > 0 ? (after - before) / connected : 0, "server_rss_kb_before": before,
            "server_rss_kb_after": after, "server_processes": Double(processes), "other_cpu": other,
        ])
    }
}
