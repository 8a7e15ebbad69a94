import Glibc

/// The demo's command line: `wskit-demo [--port N] [--host ADDR] [--db PATH] [--redis URL] [--heartbeat-ms N]
/// [--tls-cert PEM --tls-key PEM] [--no-deflate]`.
/// `PORT` in the environment sets the port when `--port` is absent.
public struct DemoOptions: Sendable, Hashable {
    /// The address to listen on. Default `127.0.0.1`.
    public var host = "127.0.0.1"
    /// The port. Default 3000.
    public var port = 3000
    /// The SQLite file. Default `./data/chat.sqlite`.
    public var databasePath = HistoryStore.defaultPath
    /// A `redis://` URL: rooms then span every demo process using the same Redis.
    public var redisURL: String?
    /// Silence (ms) after which the server pings a connection; it is closed (4000) when nothing
    /// comes back within as long again, at most 5 s. Default 30 000.
    public var heartbeatMs: Int64 = 30_000
    /// A PEM certificate chain (leaf first): with `tlsKeyPath`, the page and the WebSockets are
    /// served over https/wss on the one port.
    public var tlsCertificatePath: String?
    /// The PEM private key of `tlsCertificatePath`.
    public var tlsKeyPath: String?
    /// Whether permessage-deflate (RFC 7692) is negotiated with clients that offer it (every
    /// browser does). Default true; `--no-deflate` turns it off.
    public var compression = true

    /// The defaults.
    public init() {}

    /// The usage text.
    public static let usage = """
        usage: wskit-demo [--port N] [--host ADDR] [--db PATH] [--redis redis://HOST:PORT] [--heartbeat-ms N]
                          [--tls-cert PEM --tls-key PEM] [--no-deflate]

          --port N          port to listen on (default 3000, or $PORT)
          --host ADDR       address to bind (default 127.0.0.1; 0.0.0.0 for every interface)
          --db PATH         SQLite history file (default ./data/chat.sqlite)
          --redis URL       share rooms with every demo process on this Redis (default: in-process)
          --heartbeat-ms N  ping connections silent for N ms, close them if still silent (default 30000)
          --tls-cert PEM    serve https:// and wss:// with this certificate chain (with --tls-key;
                            SIGHUP reloads both files)
          --tls-key PEM     the certificate's private key
          --no-deflate      do not negotiate permessage-deflate compression (default: negotiated)
        """

    /// Why the command line was refused.
    public struct UsageError: Error, Sendable, CustomStringConvertible {
        /// What was wrong.
        public let description: String
    }

    /// Parses arguments (without the program name) and the environment's `PORT`.
    /// Throws on unknown flags or bad values; `--help` throws with the usage text.
    public static func parse(_ arguments: [String], environment: [String: String] = [:]) throws(UsageError) -> DemoOptions {
        var options = DemoOptions()
        if let port = environment["PORT"], !port.isEmpty {
            guard let value = Int(port), (0 ... 65535).contains(value) else {
                throw UsageError(description: "PORT must be a port number, not \(port)")
            }
            options.port = value
        }
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            var (flag, inline) = (argument, String?.none)
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                flag = String(argument[..<equals])
                inline = String(argument[argument.index(after: equals)...])
            }
            if flag == "--help" || flag == "-h" { throw UsageError(description: usage) }
            if flag == "--no-deflate" {
                guard inline == nil else { throw UsageError(description: "--no-deflate takes no value\n\n\(usage)") }
                options.compression = false
                continue
            }
            guard ["--port", "--host", "--db", "--redis", "--heartbeat-ms", "--tls-cert", "--tls-key"].contains(flag) else {
                throw UsageError(description: "unknown option \(flag)\n\n\(usage)")
            }
            guard let value = inline ?? rest.popFirst() else { throw UsageError(description: "\(flag) needs a value\n\n\(usage)") }
            switch flag {
            case "--port":
                guard let port = Int(value), (0 ... 65535).contains(port) else {
                    throw UsageError(description: "--port must be a port number, not \(value)")
                }
                options.port = port
            case "--host": options.host = value
            case "--db": options.databasePath = value
            case "--redis": options.redisURL = value
            case "--heartbeat-ms":
                guard let ms = Int64(value), ms >= 100 else {
                    throw UsageError(description: "--heartbeat-ms must be at least 100, not \(value)")
                }
                options.heartbeatMs = ms
            case "--tls-cert": options.tlsCertificatePath = value
            case "--tls-key": options.tlsKeyPath = value
            default: throw UsageError(description: "unknown option \(flag)\n\n\(usage)")
            }
        }
        guard (options.tlsCertificatePath == nil) == (options.tlsKeyPath == nil) else {
            throw UsageError(description: "--tls-cert and --tls-key go together\n\n\(usage)")
        }
        return options
    }

    /// The process environment as a dictionary.
    public static var processEnvironment: [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}
