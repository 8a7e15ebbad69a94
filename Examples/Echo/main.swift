// wskit-echo: echoes every text and binary message on ws://HOST:PORT/ (any path but /bcast).
// On /bcast every connection subscribes to one topic, and every message received there is
// published to it through the pub/sub plugin (sent as it came: raw text or binary, not an
// envelope) — the broadcast contract of ../shared/perf/wsload.c and Benchmarks/README.md.
//
//   wskit-echo [--port N] [--host ADDR] [--loops N] [--tls-cert PEM --tls-key PEM] [--no-deflate]
//              [--deflate-no-context-takeover] [--deflate-window-bits N] [--deflate-memory-level N]
//              [--metrics]
//                                     (PORT env also sets the port; default 9001)
//
// With --metrics the server reports to a MetricsRegistry (to measure the metrics seam's cost under
// load, docs/observability.md).
//
// With --tls-cert (a PEM chain, leaf first) and --tls-key it serves wss://; SIGHUP re-reads both
// files and new connections get the new certificate (open ones keep theirs).
//
// permessage-deflate (RFC 7692) is negotiated by default with the server's default policy
// (PerMessageDeflateOptions.default); --no-deflate declines it, the --deflate-* flags change the
// policy (no context takeover either way; both windows; zlib's memory level) for measurements.
//
// Used by the Autobahn conformance run (scripts/autobahn-server.sh) and the load benchmarks, so its
// limits are the conformance ones: messages up to 64 MiB.
import Glibc
import WSKit

struct Options {
    var port = 9001
    var host = "127.0.0.1"
    var loops = ServerConfiguration.availableCores
    var tlsCertificate: String?
    var tlsKey: String?
    var compression: PerMessageDeflateOptions? = .default
    var metrics = false

    init(arguments: [String], environment: [String: String]) throws {
        if let value = environment["PORT"], let port = Int(value) { self.port = port }
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--port": port = try Self.integer(iterator.next(), for: argument)
            case "--loops": loops = try Self.integer(iterator.next(), for: argument)
            case "--host":
                guard let value = iterator.next() else { throw UsageError(message: "--host needs a value") }
                host = value
            case "--tls-cert":
                guard let value = iterator.next() else { throw UsageError(message: "--tls-cert needs a path") }
                tlsCertificate = value
            case "--tls-key":
                guard let value = iterator.next() else { throw UsageError(message: "--tls-key needs a path") }
                tlsKey = value
            case "--metrics": metrics = true
            case "--no-deflate": compression = nil
            case "--deflate-no-context-takeover":
                compression?.contextTakeover = false
                compression?.peerContextTakeover = false
            case "--deflate-window-bits":
                let bits = try Self.integer(iterator.next(), for: argument)
                compression?.maxWindowBits = bits
                compression?.peerMaxWindowBits = bits
            case "--deflate-memory-level": compression?.memoryLevel = try Self.integer(iterator.next(), for: argument)
            case "-h", "--help":
                throw UsageError(message: """
                    usage: wskit-echo [--port N] [--host ADDR] [--loops N] [--tls-cert PEM --tls-key PEM] [--no-deflate]
                                      [--deflate-no-context-takeover] [--deflate-window-bits N] [--deflate-memory-level N]
                                      [--metrics]
                    """)
            default: throw UsageError(message: "unknown argument \(argument)")
            }
        }
        guard (tlsCertificate == nil) == (tlsKey == nil) else {
            throw UsageError(message: "--tls-cert and --tls-key go together")
        }
    }

    private static func integer(_ value: String?, for flag: String) throws -> Int {
        guard let value, let number = Int(value) else { throw UsageError(message: "\(flag) needs a number") }
        return number
    }
}

struct UsageError: Error { let message: String }

/// The pub/sub router that serves `/bcast`: no connection data, only the pub/sub plugin.
struct BroadcastPlugins: PubSubInstalled {
    var pubsub = PubSubPlugin()
}

/// The router side of a `/bcast` connection; `nil` context for echo connections. Touched only on
/// the connection's loop.
final class BroadcastSlot: @unchecked Sendable {
    var connection: RouterConnection<Void, BroadcastPlugins>?
}

/// The topic every `/bcast` connection subscribes to.
let broadcastTopic = "bcast"

/// Echo on every path, except `/bcast`: those connections are opened on a pub/sub router that
/// subscribes them in `onOpen`, and what they send is published raw to the topic. The echo path
/// pays one `nil` check.
func echoBehavior() throws -> WebSocketBehavior<BroadcastSlot?> {
    let router = Router<Void, BroadcastPlugins>()
    router.onOpen { ctx in try await ctx.topics.subscribe(broadcastTopic) }
    let runtime = try router.build(plugins: BroadcastPlugins())
    let pubsub = runtime.pubsub
    return WebSocketBehavior(
        upgrade: { request in .accept(request.path == "/bcast" ? BroadcastSlot() : nil) },
        open: { ws in
            guard let slot = ws.context else { return }
            slot.connection = runtime.open(ServerTransport(ws), data: ())
        },
        message: { ws, message in
            guard ws.context != nil else {
                ws.send(message)
                return
            }
            _ = pubsub.publishNow(raw: message.bytes, binary: !message.isText, to: broadcastTopic)
        },
        close: { ws, code, reason in
            guard let slot = ws.context else { return }
            slot.connection?.didClose(code: code.rawValue, reason: reason)
            slot.connection = nil
        }
    )
}

func environment() -> [String: String] {
    var result: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
        let pair = String(cString: entry).split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        if pair.count == 2 { result[String(pair[0])] = String(pair[1]) }
        pointer += 1
    }
    return result
}

func printError(_ message: String) {
    var line = message + "\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

do {
    let options = try Options(arguments: CommandLine.arguments, environment: environment())
    var configuration = ServerConfiguration.conformance(port: options.port)
    configuration.host = options.host
    configuration.loopCount = options.loops
    if options.metrics { configuration.metrics = MetricsRegistry() }
    if let certificate = options.tlsCertificate, let key = options.tlsKey {
        configuration.tls = TLSServerConfiguration(certificateChainFile: certificate, privateKeyFile: key)
    }
    configuration.compression = options.compression
    let server = WebSocketServer(configuration: configuration, behavior: try echoBehavior())
    if configuration.tls != nil { try server.reloadTLSOnHangup() }
    try server.run()
} catch let error as UsageError {
    printError(error.message)
    exit(2)
} catch {
    printError("wskit-echo: \(error)")
    exit(1)
}
