// wskit-bench: WSKit's benchmark suite. See Benchmarks/README.md.
//
//   swift run -c release wskit-bench [--quick | --full]     the suite: one Markdown table, a JSON file
//   wskit-bench compare BEFORE.json AFTER.json               regressions beyond noise (exit 1 if any)
//   wskit-bench micro --run NAME --iterations N              one micro benchmark (callgrind, perf)
//   wskit-bench load …   /   wskit-bench serve rpc …         the load generator / the RPC server
//   wskit-bench serve fanout …                               pub/sub and presence fan-out (/bcast, /presence)
//   wskit-bench deflate …   /   wskit-bench tls [ROUNDS]      permessage-deflate / wss:// against the peers
//   wskit-bench hosts [ROUNDS]                               the router on Vapor and Hummingbird vs on WSKit's server
import CWSKitLoad
import Glibc
import WSKitBenchCore

func runLoad(_ arguments: [String]) -> Int32 {
    var cArguments = arguments.map { strdup($0) }
    defer { cArguments.forEach { free($0) } }
    return cArguments.withUnsafeMutableBufferPointer { cwskit_load_main(Int32($0.count), $0.baseAddress) }
}

func runCompare(_ arguments: [String]) -> Int32 {
    let files = arguments.filter { !$0.hasPrefix("--") }
    guard files.count == 2 else {
        Console.log("usage: wskit-bench compare BEFORE.json AFTER.json [--all]")
        return 2
    }
    do {
        let before = try ReportJSON.decode(try FileIO.read(files[0]))
        let after = try ReportJSON.decode(try FileIO.read(files[1]))
        let comparison = BenchComparison(before: before, after: after)
        Console.print("Before: \(before.mode) run \(before.date) (\(before.commit)); after: \(after.mode) run \(after.date) (\(after.commit)).\n\n")
        Console.print(comparison.markdown(onlyChanges: !arguments.contains("--all")))
        return comparison.regressions.isEmpty ? 0 : 1
    } catch {
        Console.log("wskit-bench compare: \(error)")
        return 2
    }
}

func runTable(_ arguments: [String]) -> Int32 {
    guard let path = arguments.first else {
        Console.log("usage: wskit-bench table RESULT.json")
        return 2
    }
    do {
        Console.print(MarkdownTable.render(try ReportJSON.decode(try FileIO.read(path))))
        return 0
    } catch {
        Console.log("wskit-bench table: \(error)")
        return 2
    }
}

func runMicro(_ arguments: [String]) async -> Int32 {
    if arguments.contains("--list") {
        for benchmark in allMicroBenchmarks() { Console.print("\(benchmark.name)\t\(benchmark.title)\n") }
        return 0
    }
    guard let index = arguments.firstIndex(of: "--run"), index + 1 < arguments.count else {
        Console.log("usage: wskit-bench micro --list | --run NAME [--iterations N]")
        return 2
    }
    var iterations = 100_000
    if let i = arguments.firstIndex(of: "--iterations"), i + 1 < arguments.count, let n = Int(arguments[i + 1]) { iterations = n }
    return await MicroRunner.runOnce(name: arguments[index + 1], iterations: iterations)
}

let arguments = Array(CommandLine.arguments.dropFirst())
let status: Int32
switch arguments.first {
case "load": status = runLoad(Array(arguments.dropFirst()))
case "serve" where arguments.dropFirst().first == "rpc": status = RPCServer.run(arguments: Array(arguments.dropFirst(2)))
case "serve" where arguments.dropFirst().first == "fanout": status = FanOutServer.run(arguments: Array(arguments.dropFirst(2)))
case "compare": status = runCompare(Array(arguments.dropFirst()))
case "table": status = runTable(Array(arguments.dropFirst()))
case "micro": status = runBlocking { await runMicro(Array(arguments.dropFirst())) }
case "deflate": status = ScriptScenarios.deflate(Array(arguments.dropFirst()), paths: Paths.locate())
case "tls": status = ScriptScenarios.tls(Array(arguments.dropFirst()), paths: Paths.locate())
case "hosts": status = ScriptScenarios.hosts(Array(arguments.dropFirst()), paths: Paths.locate())
case "-h", "--help", "help":
    Console.print(RunOptions.usage + "\n")
    status = 0
default:
    do {
        let options = try RunOptions(arguments: arguments)
        let suite = Suite(options: options, paths: Paths.locate())
        status = runBlocking { await suite.run() }
    } catch {
        Console.log("wskit-bench: \(error)")
        status = 2
    }
}
exit(status)
