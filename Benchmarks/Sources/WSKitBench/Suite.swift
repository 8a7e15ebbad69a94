import Glibc
import WSKitBenchCore

/// A whole run: micro benchmarks, then every socket scenario against every server (alternating
/// servers within each scenario, for several rounds), then the table and the JSON file.
struct Suite {
    let options: RunOptions
    let paths: Paths

    var rounds: Int { options.rounds ?? (options.full ? 3 : 1) }
    var duration: Double { options.duration ?? (options.full ? 3 : 2) }
    var warmup: Double { options.warmup ?? (options.full ? 1 : 0.5) }
    var samples: Int { options.samples ?? (options.full ? 21 : 7) }
    var quietWait: Double { options.quietWait ?? 0 }

    func run() async -> Int32 {
        #if DEBUG
        Console.log("wskit-bench: this is a debug build; numbers mean little. Run: swift run -c release wskit-bench")
        #endif
        raiseOpenFileLimit()
        var notes: [String] = []
        var entries: [BenchEntry] = []
        let stamp = SystemInfo.utcNow(compact: true)
        let mode = options.full ? "full" : "quick"
        let jsonPath = options.jsonPath ?? "\(paths.results)/\(stamp)-\(mode).json"
        let start = Clock.seconds()

        // Servers.
        var servers: [ServerSpec] = []
        if options.macro {
            if options.build { buildWSKitEcho() }
            var peers = ServerSpec.peers(paths)
            if options.buildPeers && peers.contains(where: { $0.unavailable != nil }) {
                buildPeers()
                peers = ServerSpec.peers(paths)
            }
            for spec in [ServerSpec.wskit(paths)] + peers where options.servers?.contains(spec.name) ?? true {
                if let reason = spec.unavailable {
                    notes.append("\(spec.name) skipped: \(reason).")
                    Console.log("wskit-bench: \(spec.name) skipped: \(reason)")
                } else {
                    servers.append(spec)
                }
            }
        }

        // Micro benchmarks.
        if options.micro {
            if !MicroRunner.allocationCountingWorks() {
                notes.append("Allocation counts are unavailable: the allocator could not be interposed.")
            }
            let instructions = options.instructions ?? options.full
            let useCallgrind = instructions && Callgrind.available
            if instructions && !useCallgrind {
                notes.append("Instruction counts skipped: valgrind is not installed (apt-get install valgrind).")
            }
            let runner = MicroRunner(samples: samples, batchSeconds: options.full ? 0.05 : 0.02, instructions: useCallgrind)
            for benchmark in allMicroBenchmarks() where options.selects("micro." + benchmark.name) {
                Console.log("micro  \(benchmark.name)")
                entries.append(await runner.measure(benchmark))
            }
            Callgrind.cleanUp()
            if options.selects("micro.pubsub.memory") {
                Console.log("micro  pubsub.memory")
                entries.append(await PubSubBenchmarks.memoryEntry())
            }
            if options.selects("micro.presence.memory") {
                Console.log("micro  presence.memory")
                entries.append(await PresenceBenchmarks.memoryEntry())
            }
        }

        // Socket scenarios.
        if options.macro && !servers.isEmpty {
            let logPath = jsonPath.hasSuffix(".json") ? String(jsonPath.dropLast(5)) + ".log" : jsonPath + ".log"
            let runner = MacroRunner(paths: paths, duration: duration, warmup: warmup, quietWait: quietWait, logPath: logPath)
            let scenarios = Scenario.list(full: options.full).filter { options.selects($0.key) }
            var collected = MacroResults()
            for round in 1 ... rounds {
                for scenario in scenarios {
                    if case .hold(let processes) = scenario.kind, processes > 1, round > 1 { continue }
                    var targets = scenario.wskitOnly ? servers.filter { $0.name == "wskit" } : servers
                    if case .rpc = scenario.kind { targets = servers.contains { $0.name == "wskit" } ? [ServerSpec.wskitRPC()] : [] }
                    if case .fanout = scenario.kind { targets = servers.contains { $0.name == "wskit" } ? [ServerSpec.wskitFanOut()] : [] }
                    for server in targets {
                        Console.log("round \(round)/\(rounds)  \(scenario.key)  \(server.name)")
                        do {
                            let result: LoadResult
                            if case .hold(let processes) = scenario.kind {
                                result = try runner.runHold(scenario, on: server, processes: processes)
                            } else {
                                result = try runner.runTraffic(scenario, on: server)
                            }
                            collected.add(result, scenario: scenario, server: server.name)
                        } catch {
                            Console.log("   failed: \(error)")
                            collected.fail(String(describing: error), scenario: scenario, server: server.name)
                        }
                    }
                }
            }
            entries += collected.entries(scenarios: scenarios, servers: servers.map(\.name))
            if options.selects("redis.publish") && servers.contains(where: { $0.name == "wskit" }) {
                Console.log("redis  publish")
                let (redis, note) = await RedisBenchmark.run(duration: duration, rounds: rounds)
                entries += redis
                if let note { notes.append(note) }
            }
            if scenarios.contains(where: { $0.key.hasPrefix("hold.c50000") }) {
                notes.append("50,000 connections: one process may open at most 20,000 files here (hard limit, no "
                    + "CAP_SYS_RESOURCE to raise it), so they are held by 3 wskit-echo processes on 3 ports, each "
                    + "loaded by its own generator from its own source address (127.0.0.2–4); peers are not run at 50,000.")
            }
        }

        // Topic history (no socket server needed): in memory and through a redis-server.
        if options.macro && options.selects("streams.") {
            Console.log("streams  publish1000 / recover1000")
            let (streams, streamNotes) = await StreamBenchmark.run(duration: duration, rounds: rounds)
            entries += streams
            notes += streamNotes
        }

        var serverNames = servers.map(\.name)
        if serverNames.isEmpty { serverNames = ["wskit"] }
        let report = BenchReport(
            mode: mode, date: SystemInfo.utcNow(), commit: SystemInfo.commit(root: paths.root),
            machine: SystemInfo.machine() + [
                ("method", "server pinned to CPU 0, load generator to CPU 1 (taskset); \(rounds) round(s) of "
                    + "\(NumberFormat.value(duration)) s after \(NumberFormat.value(warmup)) s warm-up; medians"),
                ("wall time", NumberFormat.fixed(Clock.seconds() - start, digits: 0) + " s"),
            ],
            servers: serverNames, entries: entries, notes: notes)
        let table = MarkdownTable.render(report)
        Console.print(table)
        do {
            try FileIO.write(ReportJSON.text(report), to: jsonPath)
            try FileIO.write(table, to: String(jsonPath.dropLast(jsonPath.hasSuffix(".json") ? 5 : 0)) + ".md")
            Console.log("wskit-bench: wrote \(jsonPath) (compare two runs: wskit-bench compare BEFORE.json AFTER.json)")
        } catch {
            Console.log("wskit-bench: \(error)")
            return 1
        }
        return 0
    }

    /// Children (servers, generators) inherit the raised limit.
    func raiseOpenFileLimit() {
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 && limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
    }

    /// `swift build -c release --product wskit-echo` in this executable's scratch directory
    /// (quick when nothing changed).
    func buildWSKitEcho() {
        Console.log("wskit-bench: building wskit-echo (release)")
        let arguments = ["swift", "build", "-c", "release", "--package-path", paths.root, "--scratch-path", paths.scratch,
                         "--product", "wskit-echo"]
        guard let process = try? Subprocess(arguments, stdout: .descriptor(2), stderr: .descriptor(2)) else { return }
        let status = process.wait(timeout: 1800)
        if status != 0 { Console.log("wskit-bench: building wskit-echo failed (status \(status))") }
    }

    /// Benchmarks/scripts/build-peers.sh.
    func buildPeers() {
        Console.log("wskit-bench: building the peers (Benchmarks/scripts/build-peers.sh; the first build takes minutes)")
        guard let process = try? Subprocess(["bash", paths.root + "/Benchmarks/scripts/build-peers.sh"],
                                            stdout: .descriptor(2), stderr: .descriptor(2)) else { return }
        process.wait(timeout: 3600)
    }
}
