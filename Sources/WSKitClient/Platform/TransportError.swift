#if canImport(WSKitTLS)
import WSKitTLS
#endif

/// Why a transport could not connect, or lost its connection.
public enum TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The host name did not resolve.
    case resolve(host: String, reason: String)
    /// Every address refused or was unreachable; carries the last `errno`.
    case connect(errno: Int32)
    /// The connect did not complete within the timeout.
    case timeout
    /// Reading or writing failed after connecting (`errno`).
    case io(errno: Int32)
    /// The transport cannot serve this endpoint (for example `wss://` without a TLS transport).
    case unsupported(String)
    /// A system resource could not be created (socket, pipe, thread).
    case system(call: String, errno: Int32)
    #if canImport(WSKitTLS)
    /// TLS failed: a certificate the client rejects (expired, wrong host, unknown CA), a failed
    /// handshake, or a TLS error on an open connection.
    case tls(TLSError)
    #endif

    /// Whether retrying cannot help: the server's certificate was rejected. The reconnect policy
    /// does not retry after such an error.
    public var isTerminal: Bool {
        #if canImport(WSKitTLS)
        if case .tls(let error) = self { return error.isCertificateError }
        #endif
        return false
    }

    /// A short English explanation.
    public var description: String {
        switch self {
        case .resolve(let host, let reason): "cannot resolve \(host): \(reason)"
        case .connect(let code): "connect failed (errno \(code))"
        case .timeout: "connect timed out"
        case .io(let code): "connection failed (errno \(code))"
        case .unsupported(let what): what
        case .system(let call, let code): "\(call) failed (errno \(code))"
        #if canImport(WSKitTLS)
        case .tls(let error): error.description
        #endif
        }
    }
}
