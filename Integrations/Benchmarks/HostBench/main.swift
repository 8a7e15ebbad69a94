// wskit-host-bench: the benchmark router of `wskit-bench serve rpc` — WSKitBenchRouter's typed
// `CHAT` and `BENCH_ECHO` RPC, built the same way — hosted by Vapor 4 (WSKitVapor) or
// Hummingbird 2 (WSKitHummingbird) instead of WSKit's own server, and beside it the host's own
// plain echo, for Benchmarks/hosts/run.sh (the cost of hosting a WSKit router on each).
//
//   wskit-host-bench vapor|hummingbird [--port N]     (default 9004; PORT also works)
//   ws://127.0.0.1:N/       the WSKit router   (wskit-bench load echo --envelope)
//   ws://127.0.0.1:N/echo   the host's echo    (wskit-bench load echo --path /echo)
//
// Both hosts listen on 127.0.0.1, log nothing, close no connection for idleness and keep their
// WebSocket defaults otherwise; the echo routes are written as Benchmarks/Peers' peers write them.
import Glibc
import Logging

let usage = "usage: wskit-host-bench vapor|hummingbird [--port N]"
var arguments = CommandLine.arguments.dropFirst().makeIterator()
var hostName: String?
var port = getenv("PORT").flatMap { Int(String(cString: $0)) } ?? 9004
while let argument = arguments.next() {
    switch argument {
    case "--port":
        guard let value = arguments.next().flatMap({ Int($0) }) else {
            print(usage)
            exit(2)
        }
        port = value
    case "vapor", "hummingbird":
        guard hostName == nil else { fallthrough }
        hostName = argument
    default:
        print(usage)
        exit(2)
    }
}
LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
switch hostName {
case "vapor": try await VaporBenchHost.run(port: port)
case "hummingbird": try await HummingbirdBenchHost.run(port: port)
default:
    print(usage)
    exit(2)
}
