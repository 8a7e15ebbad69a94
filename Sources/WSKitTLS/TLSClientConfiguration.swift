/// How a client speaks TLS: whom it trusts, and the certificate it presents if the server asks.
public struct TLSClientConfiguration: Sendable, Hashable {
    /// The certificates a server's chain must lead to.
    public enum TrustRoots: Sendable, Hashable {
        /// The system trust store (OpenSSL's default paths).
        case system
        /// Only these CA certificates (PEM, one or more).
        case certificates(TLSPEM)
        /// The system trust store plus these CA certificates.
        case systemAnd(TLSPEM)
    }

    /// The certificates a server's chain must lead to.
    public var trustRoots: TrustRoots
    /// A client certificate and key, presented when the server asks (mutual TLS).
    public var certificate: TLSCertificate?
    /// The oldest version accepted: TLS 1.2 (the default) or 1.3.
    public var minimumVersion: TLSVersion
    /// ALPN protocols offered, in order of preference.
    public var alpnProtocols: [String]

    /// Creates a configuration; by default it trusts the system store and verifies the host name.
    public init(
        trustRoots: TrustRoots = .system,
        certificate: TLSCertificate? = nil,
        minimumVersion: TLSVersion = .v1_2,
        alpnProtocols: [String] = ["http/1.1"]
    ) {
        self.trustRoots = trustRoots
        self.certificate = certificate
        self.minimumVersion = minimumVersion
        self.alpnProtocols = alpnProtocols
    }

    /// The system trust store, no client certificate.
    public static var `default`: TLSClientConfiguration { TLSClientConfiguration() }
}
