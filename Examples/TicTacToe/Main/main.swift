// wskit-example-tictactoe: tic-tac-toe rooms with spectators, rematches and seats that survive
// a reconnect (README, docs/examples/tictactoe.md).
//
//   swift run wskit-example-tictactoe                 # http://127.0.0.1:3001/
//   swift run wskit-example-tictactoe --port 8080 --seat-grace-seconds 120
import CWSKitShims
import Glibc
import WSKitTicTacToe

/// Writes a line to standard output at once (no stdio buffering: scripts read it from a pipe).
func say(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = write(1, bytes, bytes.count)
}

let usage = "usage: wskit-example-tictactoe [--host ADDR] [--port N] [--seat-grace-seconds N]"
var host = "127.0.0.1", port = 3001, graceSeconds = 60
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
    case "--seat-grace-seconds" where Int(value).map({ $0 >= 0 }) == true: graceSeconds = Int(value)!
    default:
        say("wskit-example-tictactoe: bad option \(option) \(value)\n\(usage)")
        exit(2)
    }
}

do {
    let server = try TicTacToeServer(host: host, port: port, seatGraceMs: Int64(graceSeconds) * 1000)
    let signals = cwskit_shutdown_signal_fd()
    try server.start()
    let shown = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
    say("wskit-example-tictactoe: open http://\(shown):\(server.port)/")
    _ = cwskit_wait_readable(signals, -1)
    say("wskit-example-tictactoe: shutting down")
    server.shutdown()
} catch {
    let line = Array("wskit-example-tictactoe: \(error)\n".utf8)
    _ = write(2, line, line.count)
    exit(1)
}
