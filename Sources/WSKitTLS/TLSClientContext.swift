import COpenSSL

/// A client's TLS state, built once from a `TLSClientConfiguration` and shared by its
/// connections: one `SSL_CTX` with the trust roots and optional client certificate; each
/// connection gets its own `SSL` that checks the server's name.
public final class TLSClientContext: @unchecked Sendable {
    /// The configuration this context was built from.
    public let configuration: TLSClientConfiguration
    private let context: OpaquePointer
    private let alpnWire: [UInt8]

    /// Builds the context, loading the trust roots and the client certificate.
    public init(configuration: TLSClientConfiguration = .default) throws(TLSError) {
        guard let wire = ALPN.wire(configuration.alpnProtocols) else { throw .configuration("invalid ALPN protocol name") }
        let context = try TLSContextOptions.make(server: false, minimumVersion: configuration.minimumVersion, tickets: true)
        do throws(TLSError) {
            switch configuration.trustRoots {
            case .system:
                try Self.loadSystemRoots(context)
            case .certificates(let pem):
                try Self.addRoots(pem, to: context)
            case .systemAnd(let pem):
                try Self.loadSystemRoots(context)
                try Self.addRoots(pem, to: context)
            }
            if let certificate = configuration.certificate { try certificate.install(into: context) }
        } catch {
            SSL_CTX_free(context)
            throw error
        }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        self.configuration = configuration
        self.context = context
        alpnWire = wire
    }

    deinit { SSL_CTX_free(context) }

    /// A new client session for a server named `host` (a DNS name or an IP literal): SNI is sent
    /// for names, and the certificate must be valid for `host`.
    public func makeSession(host: String) throws(TLSError) -> TLSSession {
        try TLSSession(context: context, owner: self, role: .client(host: host), alpn: alpnWire)
    }

    private static func loadSystemRoots(_ context: OpaquePointer) throws(TLSError) {
        guard SSL_CTX_set_default_verify_paths(context) == 1 else {
            throw .configuration("cannot load the system trust store: \(OpenSSLErrors.drain())")
        }
    }

    private static func addRoots(_ pem: TLSPEM, to context: OpaquePointer) throws(TLSError) {
        try pem.withBIO("CA bundle") { (bio) throws(TLSError) in
            guard wskit_ssl_ctx_add_trust(context, bio) == 1 else {
                throw .configuration("no CA certificate could be loaded: \(OpenSSLErrors.drain())")
            }
        }
    }
}
