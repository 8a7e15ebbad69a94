// wskit-example-board: a shared board of shapes, server-authoritative and versioned, with
// deltas, per-field last-writer-wins, throttled cursors and catch-up after a reconnect
// (README, docs/examples/board.md).
//
//   swift run wskit-example-board                 # http://127.0.0.1:3002/
//   swift run wskit-example-board --port 8080 --cursors-per-second 30
import CWSKitShims
import Glibc
import WSKitBoard

/// Writes a line to standard output at once (no stdio buffering: scripts read it from a pipe).
func say(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = write(1, bytes, bytes.count)
}

let usage = "usage: wskit-example-board [--host ADDR] [--port N] [--cursors-per-second N]"
var host = "127.0.0.1", port = 3002, cursorsPerSecond = 20
var arguments = CommandLine.arguments.dropFirst()
while let option = arguments.popFirst() {
    if option == "--help" || option == "-h" {
        say(usage)
        exit(0)
    }
    guard let value = arguments.popFirst() else {
        say(usage)
        exit(2)
    }
    switch option {
    case "--host": host = value
    case "--port" where Int(value).map({ (0...65535).contains($0) }) == true: port = Int(value)!
    case "--cursors-per-second" where Int(value).map({ (1...1000).contains($0) }) == true: cursorsPerSecond = Int(value)!
    default:
        say("wskit-example-board: bad option \(option) \(value)\n\(usage)")
        exit(2)
    }
}

do {
    let server = try BoardServer(host: host, port: port, cursorsPerSecond: cursorsPerSecond)
    let signals = cwskit_shutdown_signal_fd()
    try server.start()
    let shown = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
    say("wskit-example-board: open http://\(shown):\(server.port)/")
    _ = cwskit_wait_readable(signals, -1)
    say("wskit-example-board: shutting down")
    server.shutdown()
} catch {
    let line = Array("wskit-example-board: \(error)\n".utf8)
    _ = write(2, line, line.count)
    exit(1)
}
