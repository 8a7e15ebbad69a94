/// Why a TLS session or context failed. Certificate problems have their own cases so that a
/// client can tell them apart (and stop reconnecting: they do not fix themselves).
public enum TLSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The peer's certificate has expired (or is not valid yet).
    case certificateExpired
    /// The peer's certificate is not valid for the host name (or IP address) we connected to.
    case hostnameMismatch(expected: String)
    /// The peer's certificate does not chain to a trusted root (unknown CA, self-signed).
    case untrustedCertificate(String)
    /// The peer's certificate was rejected for another reason (OpenSSL's verify message).
    case invalidCertificate(String)
    /// The peer does not speak TLS (for example plain HTTP sent to a TLS port).
    case notTLS
    /// No protocol version both sides accept (for example a TLS 1.0 client).
    case unsupportedVersion
    /// The handshake failed for another reason (OpenSSL's message).
    case handshakeFailed(String)
    /// The connection failed after the handshake (a bad record, an alert from the peer).
    case protocolError(String)
    /// The configuration is unusable: a file, certificate or key that does not load, a key that
    /// does not match its certificate, a cipher list OpenSSL rejects.
    case configuration(String)

    /// Whether this is a problem with the peer's certificate (terminal for reconnecting clients).
    public var isCertificateError: Bool {
        switch self {
        case .certificateExpired, .hostnameMismatch, .untrustedCertificate, .invalidCertificate: true
        default: false
        }
    }

    /// A short English explanation.
    public var description: String {
        switch self {
        case .certificateExpired: "TLS certificate expired or not yet valid"
        case .hostnameMismatch(let host): "TLS certificate is not valid for \(host)"
        case .untrustedCertificate(let why): "TLS certificate not trusted: \(why)"
        case .invalidCertificate(let why): "TLS certificate rejected: \(why)"
        case .notTLS: "the peer does not speak TLS"
        case .unsupportedVersion: "no TLS version in common (1.2 or 1.3 required)"
        case .handshakeFailed(let why): "TLS handshake failed: \(why)"
        case .protocolError(let why): "TLS error: \(why)"
        case .configuration(let why): "TLS configuration error: \(why)"
        }
    }
}
