// wskit-demo: the multi-room chat that shows WSKit end to end (README, docs/demo.md).
//
//   swift run wskit-demo                      # http://127.0.0.1:3000/
//   swift run wskit-demo --redis redis://127.0.0.1:6379 --port 3001
//   swift run wskit-demo --tls-cert cert.pem --tls-key key.pem   # https:// and wss:// on one port
import CWSKitShims
import Glibc
import WSKitDemo

/// Writes a line to standard output at once (no stdio buffering: scripts read it from a pipe).
func say(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = write(1, bytes, bytes.count)
}

let options: DemoOptions
do {
    options = try DemoOptions.parse(Array(CommandLine.arguments.dropFirst()), environment: DemoOptions.processEnvironment)
} catch {
    say(error.description)
    exit(error.description.hasPrefix("usage:") ? 0 : 2)
}

do {
    let demo = try await DemoServer(options: options)
    let signals = cwskit_shutdown_signal_fd()
    try demo.start()
    if demo.isTLS { try demo.reloadTLSOnHangup() }
    let shown = options.host == "0.0.0.0" || options.host == "::" ? "127.0.0.1" : options.host
    say("wskit-demo: open \(demo.isTLS ? "https" : "http")://\(shown):\(demo.port)/ (history in \(options.databasePath), rooms \(options.redisURL.map { "on \($0)" } ?? "in this process"))")
    _ = cwskit_wait_readable(signals, -1)
    say("wskit-demo: shutting down")
    await demo.shutdown()
} catch {
    let line = Array("wskit-demo: \(error)\n".utf8)
    _ = write(2, line, line.count)
    exit(1)
}
