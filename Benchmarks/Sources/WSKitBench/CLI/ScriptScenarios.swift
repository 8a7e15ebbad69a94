import Glibc

/// The scenarios whose load generators live outside `wskit-bench`, started from its front end:
///
/// - `wskit-bench deflate [ARGS]`: permessage-deflate (`Benchmarks/scripts/deflate-cpu.py`, driven by
///   Python `websockets`, the only client here that speaks permessage-deflate): server CPU per echoed
///   and per broadcast 1 KiB JSON message and memory per idle connection, WSKit against Node `ws`
///   and Hummingbird with compression on. ARGS go to the script (`--rounds 3`, `--servers …`, …).
/// - `wskit-bench tls [ROUNDS]`: the `wss://` scenarios (`Benchmarks/tls/run.sh`, its own C
///   generator on OpenSSL), then their table of medians (`Benchmarks/tls/summarize.py`).
/// - `wskit-bench hosts [ROUNDS]`: the cost of hosting a WSKit router on Vapor or Hummingbird
///   (`Benchmarks/hosts/run.sh`): the benchmark router on each and on WSKit's server under this
///   executable's load generator, then their table of medians (`Benchmarks/hosts/summarize.py`).
///
/// They measure the release `wskit-echo` beside this executable and the peers in `Benchmarks/Peers`
/// (`hosts`: `wskit-host-bench` of `Integrations/`).
enum ScriptScenarios {
    static let usage = """
        usage: wskit-bench deflate [deflate-cpu.py options]   permessage-deflate: WSKit, Node ws, Hummingbird
               wskit-bench tls [ROUNDS]                        wss://: WSKit, Vapor, Hummingbird, Node ws
               wskit-bench hosts [ROUNDS]                      one router on WSKit's server, Vapor, Hummingbird
        """

    /// `wskit-bench deflate …`: runs `deflate-cpu.py` with the conformance venv's Python.
    static func deflate(_ arguments: [String], paths: Paths) -> Int32 {
        guard let python = conformancePython() else {
            Console.log("wskit-bench deflate: no Python with the websockets package: run "
                + "../shared/conformance/install.sh (creates ~/.cache/wskit-conformance-venv) or set WSKIT_PYTHON")
            return 2
        }
        guard ensureEcho(paths) else { return 2 }
        let command = [
            python, paths.root + "/Benchmarks/scripts/deflate-cpu.py",
            "--echo", paths.wskitEcho,
            "--hummingbird", paths.peersBin + "/peer-hummingbird",
            "--node-ws", paths.root + "/Benchmarks/Peers/node-ws/server.js",
        ] + arguments
        return run(command)
    }

    /// `wskit-bench tls [ROUNDS]`: runs `Benchmarks/tls/run.sh`, keeps its JSON lines beside the
    /// other results and prints their table.
    static func tls(_ arguments: [String], paths: Paths) -> Int32 {
        let rounds = arguments.first ?? "3"
        guard arguments.count <= 1, let n = Int(rounds), n > 0 else {
            Console.log(usage)
            return 2
        }
        guard ensureEcho(paths) else { return 2 }
        FileIO.makeDirectories(paths.results)
        let results = paths.results + "/tls-\(Int(time(nil))).jsonl"
        let output = open(results, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard output >= 0 else {
            Console.log("wskit-bench tls: cannot write \(results)")
            return 2
        }
        // run.sh measures .build/release/wskit-echo of the repository; point it at ours.
        let status = run(["bash", paths.root + "/Benchmarks/tls/run.sh", rounds], stdout: .descriptor(output),
                         environment: ["WSKIT_ECHO": paths.wskitEcho])
        close(output)
        guard status == 0 else { return status }
        Console.log("wskit-bench tls: results in \(results)")
        return run(["python3", paths.root + "/Benchmarks/tls/summarize.py", results])
    }

    /// `wskit-bench hosts [ROUNDS]`: runs `Benchmarks/hosts/run.sh` with this executable as the
    /// RPC server and load generator, keeps its JSON lines beside the other results and prints
    /// their tables.
    static func hosts(_ arguments: [String], paths: Paths) -> Int32 {
        let rounds = arguments.first ?? "3"
        guard arguments.count <= 1, let n = Int(rounds), n > 0 else {
            Console.log(usage)
            return 2
        }
        guard ensureEcho(paths) else { return 2 }
        if !FileIO.isExecutable(paths.hostBench) {
            Console.log("wskit-bench hosts: \(paths.hostBench) is missing, Vapor and Hummingbird are skipped: "
                + "swift build -c release --package-path Integrations --scratch-path Integrations/.build "
                + "--product wskit-host-bench")
        }
        FileIO.makeDirectories(paths.results)
        let results = paths.results + "/hosts-\(Int(time(nil))).jsonl"
        let output = open(results, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard output >= 0 else {
            Console.log("wskit-bench hosts: cannot write \(results)")
            return 2
        }
        let status = run(["bash", paths.root + "/Benchmarks/hosts/run.sh", rounds], stdout: .descriptor(output),
                         environment: [
                             "WSKIT_BENCH": Paths.executable, "WSKIT_ECHO": paths.wskitEcho, "HOST_BENCH": paths.hostBench,
                         ])
        close(output)
        guard status == 0 else { return status }
        Console.log("wskit-bench hosts: results in \(results)")
        return run(["python3", paths.root + "/Benchmarks/hosts/summarize.py", results])
    }

    private static func conformancePython() -> String? {
        [
            getenv("WSKIT_PYTHON").map { String(cString: $0) },
            getenv("XDG_CACHE_HOME").map { String(cString: $0) + "/wskit-conformance-venv/bin/python" },
            getenv("HOME").map { String(cString: $0) + "/.cache/wskit-conformance-venv/bin/python" },
        ].compactMap { $0 }.first(where: FileIO.isExecutable)
    }

    private static func ensureEcho(_ paths: Paths) -> Bool {
        if FileIO.isExecutable(paths.wskitEcho) { return true }
        Console.log("wskit-bench: \(paths.wskitEcho) is missing: swift build -c release --product wskit-echo")
        return false
    }

    private static func run(
        _ command: [String], stdout: Subprocess.Stream = .inherit, environment: [String: String] = [:]
    ) -> Int32 {
        do {
            let status = try Subprocess(command, stdout: stdout, environment: environment).wait()
            // A raw wait status: the exit code, or 128 + the signal that ended it.
            return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        } catch {
            Console.log("wskit-bench: \(error)")
            return 2
        }
    }
}
