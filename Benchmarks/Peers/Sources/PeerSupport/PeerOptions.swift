#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The settings every peer server shares (the wsload server contract, see Benchmarks/README.md):
/// listen on 127.0.0.1, port from `--port N` (or `-p N`, or the PORT environment variable, default 9001),
/// echo on every path except `/bcast`, broadcast on `/bcast`, accept messages up to `maxMessageSize`.
/// With `--tls-cert PATH --tls-key PATH` (PEM files) the server speaks `wss://` instead (the TLS
/// benchmarks, `Benchmarks/tls/`).
public struct PeerOptions: Sendable {
    public static let host = "127.0.0.1"
    /// Largest message (and frame) accepted: 16 MiB.
    public static let maxMessageSize = 16 << 20
    /// The path whose connections form the single broadcast group.
    public static let broadcastPath = "/bcast"

    public var port: Int
    /// PEM certificate chain (leaf first) when serving TLS, else nil.
    public var tlsCertificatePath: String?
    /// PEM private key of the leaf certificate when serving TLS, else nil.
    public var tlsKeyPath: String?

    /// The certificate and key paths when both were given (serve `wss://`), else nil (plain `ws://`).
    public var tls: (certificate: String, key: String)? {
        guard let certificate = tlsCertificatePath, let key = tlsKeyPath else { return nil }
        return (certificate, key)
    }

    /// Parses `--port N`, `--port=N`, `-p N`, else `$PORT`, else 9001, and `--tls-cert PATH --tls-key PATH`
    /// (both or neither). Exits with status 2 on bad input.
    public static func parse(
        _ arguments: [String] = CommandLine.arguments,
        environment port: String? = getenv("PORT").map { String(cString: $0) }
    ) -> PeerOptions {
        var value = port
        var certificate: String?
        var key: String?
        var args = arguments.dropFirst()[...]
        while let arg = args.popFirst() {
            if arg == "--port" || arg == "-p" {
                value = args.popFirst()
            } else if arg.hasPrefix("--port=") {
                value = String(arg.dropFirst("--port=".count))
            } else if arg == "--tls-cert" {
                certificate = args.popFirst()
                if certificate == nil { fail("--tls-cert needs a path") }
            } else if arg == "--tls-key" {
                key = args.popFirst()
                if key == nil { fail("--tls-key needs a path") }
            } else if arg == "--help" || arg == "-h" {
                print("usage: \(arguments.first ?? "peer") [--port N] [--tls-cert PEM --tls-key PEM]   (or PORT=N; default 9001)")
                exit(0)
            } else {
                fail("unknown argument \(arg)")
            }
        }
        let text = value ?? "9001"
        guard let n = Int(text), (1...65535).contains(n) else {
            fail("bad port \(text)")
        }
        if (certificate == nil) != (key == nil) {
            fail("--tls-cert and --tls-key go together")
        }
        return PeerOptions(port: n, tlsCertificatePath: certificate, tlsKeyPath: key)
    }

    /// True when a request target (path plus optional query) addresses the broadcast group.
    public static func isBroadcast(_ target: String) -> Bool {
        guard target.hasPrefix(broadcastPath) else { return false }
        let rest = target.dropFirst(broadcastPath.count)
        return rest.isEmpty || rest.first == "?"
    }

    private static func fail(_ message: String) -> Never {
        let line = Array("error: \(message)\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        exit(2)
    }
}
