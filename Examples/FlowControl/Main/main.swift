// wskit-example-flowcontrol: a live feed that outruns some of its clients (docs/examples/flow-control.md).
//
//   swift run wskit-example-flowcontrol                  # http://127.0.0.1:3003/
//   swift run wskit-example-flowcontrol --port 8080 --rate 10000 --symbols 100
import CWSKitShims
import Glibc
import WSKitFlowControl

func say(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = write(1, bytes, bytes.count)
}

var host = "127.0.0.1"
var port = 3003
var rate = 2_000
var symbols = 40
var arguments = Array(CommandLine.arguments.dropFirst())
while !arguments.isEmpty {
    let flag = arguments.removeFirst()
    guard flag != "--help", flag != "-h" else {
        say("usage: wskit-example-flowcontrol [--host H] [--port P] [--rate UPDATES_PER_SECOND] [--symbols N]")
        exit(0)
    }
    guard let value = arguments.first else { say("\(flag) needs a value"); exit(2) }
    arguments.removeFirst()
    switch flag {
    case "--host": host = value
    case "--port": port = Int(value) ?? -1
    case "--rate": rate = Int(value) ?? -1
    case "--symbols": symbols = Int(value) ?? -1
    default: say("unknown option \(flag) (try --help)"); exit(2)
    }
}
guard (0...65_535).contains(port), (0...50_000).contains(rate), (1...676).contains(symbols) else {
    say("--port 0...65535, --rate 0...50000, --symbols 1...676")
    exit(2)
}

do {
    let server = try FeedServer(feed: LiveFeed(symbols: symbols, perSecond: rate), host: host, port: port)
    let signals = cwskit_shutdown_signal_fd()
    try server.start()
    say("wskit-example-flowcontrol: open http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(server.port)/ (\(rate) updates/s over \(symbols) symbols)")
    _ = cwskit_wait_readable(signals, -1)
    server.shutdown()
} catch {
    say("wskit-example-flowcontrol: \(error)")
    exit(1)
}
