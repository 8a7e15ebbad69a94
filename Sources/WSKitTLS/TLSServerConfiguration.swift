/// How a server speaks TLS: its certificates, the versions and ciphers it accepts, ALPN, session
/// resumption and, optionally, client certificates.
public struct TLSServerConfiguration: Sendable, Hashable {
    /// The server's certificates. The first is the default; each other one is chosen when the
    /// client's SNI name matches its leaf certificate (names and wildcards, as a client checks them).
    public var certificates: [TLSCertificate]
    /// The oldest version accepted: TLS 1.2 (the default) or 1.3. Older versions are always refused.
    public var minimumVersion: TLSVersion
    /// The TLS 1.2 cipher list (OpenSSL syntax).
    public var cipherList: String
    /// The TLS 1.3 cipher suites, in the server's order of preference (OpenSSL syntax).
    public var cipherSuites: String
    /// ALPN protocols the server selects from, in order of preference.
    public var alpnProtocols: [String]
    /// Whether clients may resume sessions with stateless tickets (TLS 1.2 and 1.3).
    public var sessionTickets: Bool
    /// When set, clients must present a certificate issued by one of these CAs (mutual TLS).
    public var clientCertificateAuthorities: TLSPEM?

    /// ECDHE key exchange with AEAD ciphers only (forward secrecy; no CBC, RC4, 3DES or RSA key
    /// exchange): the "intermediate" profile's TLS 1.2 list.
    public static let modernCipherList =
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
        + "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"

    /// The TLS 1.3 suites, AES-128-GCM first: as safe as AES-256 for this purpose and the
    /// cheapest with AES-NI; ChaCha20 for clients without AES hardware.
    public static let modernCipherSuites = "TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384"

    /// Creates a configuration; only the certificates are required (nil cipher settings mean
    /// `modernCipherList` and `modernCipherSuites`).
    public init(
        certificates: [TLSCertificate],
        minimumVersion: TLSVersion = .v1_2,
        cipherList: String? = nil,
        cipherSuites: String? = nil,
        alpnProtocols: [String] = ["http/1.1"],
        sessionTickets: Bool = true,
        clientCertificateAuthorities: TLSPEM? = nil
    ) {
        self.certificates = certificates
        self.minimumVersion = minimumVersion
        self.cipherList = cipherList ?? Self.modernCipherList
        self.cipherSuites = cipherSuites ?? Self.modernCipherSuites
        self.alpnProtocols = alpnProtocols
        self.sessionTickets = sessionTickets
        self.clientCertificateAuthorities = clientCertificateAuthorities
    }

    /// One certificate chain and key from PEM files (the common case).
    public init(certificateChainFile: String, privateKeyFile: String) {
        self.init(certificates: [.files(chain: certificateChainFile, privateKey: privateKeyFile)])
    }
}
