#if canImport(Glibc)
import Glibc
#endif

/// Errors the server reports when it cannot start or run.
public enum ServerError: Error, Sendable, CustomStringConvertible, Equatable {
    /// A system call failed with `errno`.
    case system(String, Int32)
    /// The configuration is inconsistent.
    case invalidConfiguration(String)
    /// `start()` was called on a server that is already running or stopped.
    case alreadyStarted
    /// The TLS configuration does not load (a certificate, a key, a cipher list).
    case tls(TLSError)

    public var description: String {
        switch self {
        case let .system(call, code): "\(call) failed: \(String(cString: strerror(code))) (errno \(code))"
        case let .invalidConfiguration(message): "invalid configuration: \(message)"
        case .alreadyStarted: "the server was already started"
        case let .tls(error): error.description
        }
    }
}
