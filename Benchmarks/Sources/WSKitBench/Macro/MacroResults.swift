/// The generator reports of every round, turned into report entries (one per scenario and server)
/// with one sample per round.
import WSKitBenchCore
struct MacroResults {
    private var results: [String: [LoadResult]] = [:]
    private var failures: [String: [String]] = [:]

    private static func id(_ key: String, _ server: String) -> String { key + "|" + server }

    mutating func add(_ result: LoadResult, scenario: Scenario, server: String) {
        results[Self.id(scenario.key, server), default: []].append(result)
    }

    mutating func fail(_ reason: String, scenario: Scenario, server: String) {
        failures[Self.id(scenario.key, server), default: []].append(reason)
    }

    func entries(scenarios: [Scenario], servers: [String]) -> [BenchEntry] {
        var entries: [BenchEntry] = []
        for scenario in scenarios {
            for server in servers {
                let id = Self.id(scenario.key, server)
                let runs = results[id] ?? []
                let failed = failures[id] ?? []
                if runs.isEmpty && failed.isEmpty { continue }
                var (metrics, note) = Self.metrics(scenario, runs)
                if !failed.isEmpty {
                    let first = failed[0]
                    note = [note, "\(failed.count) run(s) failed: \(first)"].compactMap { $0 }.joined(separator: "; ")
                }
                if runs.isEmpty { metrics = [] }
                entries.append(BenchEntry(key: scenario.key, group: scenario.group, title: scenario.title, server: server,
                                          metrics: metrics, note: note))
            }
            if scenario.key.hasPrefix("rpc.typed."), let ratio = rpcRatio(scenario) { entries.append(ratio) }
        }
        return entries
    }

    /// Typed RPC ÷ raw echo of the same frames, per round.
    private func rpcRatio(_ typed: Scenario) -> BenchEntry? {
        let suffix = typed.key.dropFirst("rpc.typed.".count)
        guard let rpc = results[Self.id(typed.key, "wskit")], let raw = results[Self.id("rpc.raw.\(suffix)", "wskit")] else {
            return nil
        }
        let pairs = zip(rpc, raw)
        let throughput = pairs.compactMap { $1["msg_per_s"] > 0 ? $0["msg_per_s"] / $1["msg_per_s"] : nil }
        let cpu = pairs.compactMap { rpcRun, rawRun -> Double? in
            let a = rawRun["server_cpu"] / max(rawRun["msg_per_s"], 1), b = rpcRun["server_cpu"] / max(rpcRun["msg_per_s"], 1)
            return b > 0 ? a / b : nil
        }
        guard !throughput.isEmpty else { return nil }
        let load: String = typed.title.split(separator: ",").dropFirst().joined(separator: ",")
        let metrics = [Metric(name: "rpc_vs_echo", samples: throughput), Metric(name: "rpc_vs_echo_cpu", samples: cpu)]
        return BenchEntry(key: "rpc.ratio.\(suffix)", group: "rpc-ratio", title: "typed RPC vs raw echo," + load,
                          server: "wskit", metrics: metrics)
    }

    static func metrics(_ scenario: Scenario, _ runs: [LoadResult]) -> ([Metric], String?) {
        func metric(_ name: String, _ value: (LoadResult) -> Double) -> Metric { Metric(name: name, samples: runs.map(value)) }
        var notes: [String] = []
        switch scenario.kind {
        case .hold:
            let short = runs.filter { $0["held"] < Double(scenario.conns) }
            if let worst = short.map({ $0["held"] }).min() {
                notes.append("held only \(NumberFormat.grouped(Int(worst))) of \(NumberFormat.grouped(scenario.conns))")
            }
            return ([
                metric("kib_per_conn") { $0["kib_per_conn"] }, metric("held") { $0["held"] },
                metric("conn_per_s") { $0["conn_per_s"] }, metric("server_processes") { $0["server_processes"] },
            ], notes.isEmpty ? nil : notes.joined(separator: "; "))
        case .broadcast, .fanout:
            if runs.allSatisfy({ $0["deliveries_to_others"] == 0 }) {
                return ([], "no /bcast broadcast: the server only echoed to the sender")
            }
            if let incomplete = runs.map({ $0["incomplete"] }).max(), incomplete > 0 {
                notes.append("up to \(Int(incomplete)) broadcast(s) per run did not reach every subscriber within 1 s")
            }
            return ([
                metric("deliveries_per_s") { $0["deliveries_per_s"] },
                metric("server_us_per_delivery") { $0["deliveries_per_s"] > 0 ? $0["server_cpu"] / $0["deliveries_per_s"] * 1e6 : 0 },
                metric("server_cpu") { $0["server_cpu"] }, metric("client_cpu") { $0["client_cpu"] },
                metric("other_cpu") { $0["other_cpu"] },
                metric("p50_us") { $0["p50_us"] }, metric("p99_us") { $0["p99_us"] }, metric("p999_us") { $0["p999_us"] },
            ], notes.isEmpty ? nil : notes.joined(separator: "; "))
        case .echo, .rpc:
            if let bad = runs.map({ $0["bad_payload"] + $0["unexpected"] }).max(), bad > 0 {
                notes.append("\(Int(bad)) unexpected or wrong-sized replies")
            }
            if let closed = runs.map({ $0["closed_by_peer"] }).max(), closed > 0 {
                notes.append("the server closed \(Int(closed)) connection(s)")
            }
            if let connected = runs.map({ $0["connected"] }).min(), connected < Double(scenario.conns) {
                notes.append("only \(Int(connected)) of \(scenario.conns) connected")
            }
            var metrics = [metric("msg_per_s") { $0["msg_per_s"] }]
            if scenario.binary { metrics.append(metric("mib_per_s") { $0["mib_per_s"] }) }
            metrics += [
                metric("server_us_per_msg") { $0["msg_per_s"] > 0 ? $0["server_cpu"] / $0["msg_per_s"] * 1e6 : 0 },
                metric("server_cpu") { $0["server_cpu"] }, metric("client_cpu") { $0["client_cpu"] },
                metric("other_cpu") { $0["other_cpu"] },
                metric("p50_us") { $0["p50_us"] }, metric("p99_us") { $0["p99_us"] }, metric("p999_us") { $0["p999_us"] },
            ]
            return (metrics, notes.isEmpty ? nil : notes.joined(separator: "; "))
        }
    }
}
