/// Options of a suite run (`wskit-bench [--quick|--full] …`).
struct RunOptions {
    var full = false
    var micro = true
    var macro = true
    /// Servers to run (nil: WSKit and every peer that is built).
    var servers: Set<String>?
    /// Only benchmarks and scenarios whose key contains one of these.
    var only: [String] = []
    var rounds: Int?
    var duration: Double?
    var warmup: Double?
    var samples: Int?
    var instructions: Bool?
    var quietWait: Double?
    var jsonPath: String?
    var build = true
    var buildPeers = false

    static let usage = """
    usage: wskit-bench [--quick | --full] [options]        run the suite: Markdown table on stdout, JSON file
           wskit-bench compare BEFORE.json AFTER.json [--all]   flag regressions beyond noise (exit 1 if any)
           wskit-bench table RESULT.json                    print a result file's table
           wskit-bench micro --list | --run NAME [--iterations N]   one micro benchmark (for callgrind, perf)
           wskit-bench load echo|bcast|hold --port N …      the load generator alone (--help)
           wskit-bench serve rpc [--port N] [--loops N]     the typed-RPC benchmark server
           wskit-bench serve fanout [--port N] [--loops N]  pub/sub (/bcast) and presence (/presence) fan-out server
           wskit-bench deflate [--rounds N] [--servers …]   permessage-deflate vs Node ws, Hummingbird (--help)
           wskit-bench tls [ROUNDS]                         wss:// vs Vapor, Hummingbird, Node ws (Benchmarks/tls)
           wskit-bench hosts [ROUNDS]                       the router on Vapor, Hummingbird vs WSKit's server (Benchmarks/hosts)

    run options:
      --quick              laptop check, about 2 minutes (the default)
      --full               every scenario, 3 rounds, instruction counts: about 20 minutes on 2 cores
      --micro-only, --macro-only
      --servers A,B        only these servers (wskit, vapor, hummingbird, flyingfox, node-ws)
      --only KEY[,KEY]     only benchmarks whose key contains KEY (e.g. frame, echo.text32, hold)
      --rounds N           rounds of the socket scenarios; servers alternate within a round
      --duration S         measured seconds per run; --warmup S before it
      --samples N          timed batches per micro benchmark
      --instructions       count instructions per op with callgrind (default in --full)
      --no-instructions
      --quiet-wait S       wait up to S seconds for a quiet machine before each run
      --json PATH          where to write the JSON (default Benchmarks/results/<date>-<mode>.json)
      --build-peers        build the peers (Benchmarks/scripts/build-peers.sh) if they are missing
      --no-build           do not (re)build wskit-echo first
    """

    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    init(arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        func value(_ flag: String) throws -> String {
            guard let value = iterator.next() else { throw UsageError(description: "\(flag) needs a value") }
            return value
        }
        func number(_ flag: String) throws -> Double {
            guard let number = Double(try value(flag)) else { throw UsageError(description: "\(flag) needs a number") }
            return number
        }
        while let argument = iterator.next() {
            switch argument {
            case "--quick": full = false
            case "--full": full = true
            case "--micro-only": macro = false
            case "--macro-only": micro = false
            case "--servers": servers = Set(try value(argument).split(separator: ",").map(String.init))
            case "--only": only += try value(argument).split(separator: ",").map(String.init)
            case "--rounds": rounds = Int(try number(argument))
            case "--duration": duration = try number(argument)
            case "--warmup": warmup = try number(argument)
            case "--samples": samples = Int(try number(argument))
            case "--instructions": instructions = true
            case "--no-instructions": instructions = false
            case "--quiet-wait": quietWait = try number(argument)
            case "--json": jsonPath = try value(argument)
            case "--build-peers": buildPeers = true
            case "--no-build": build = false
            default: throw UsageError(description: "unknown argument \(argument)\n\n\(Self.usage)")
            }
        }
    }

    /// Whether a benchmark key passes `--only`.
    func selects(_ key: String) -> Bool {
        only.isEmpty || only.contains { key.contains($0) }
    }
}
