import COpenSSL

/// A server's TLS state, built once from a `TLSServerConfiguration` and shared by every
/// connection that starts while it is current: one `SSL_CTX` per certificate (the first is the
/// default, the others are switched to by SNI), each connection then gets its own `SSL`.
///
/// Immutable once built. A certificate reload builds a new context and the server hands it to new
/// connections; a session keeps the context it started with alive until it ends, so open
/// connections are never disturbed.
public final class TLSServerContext: @unchecked Sendable {
    /// The configuration this context was built from.
    public let configuration: TLSServerConfiguration
    /// One SSL_CTX per certificate, in configuration order.
    private let contexts: [OpaquePointer]
    /// SNI: the contexts and their leaf certificates, read by the C callback.
    private let sniTable: UnsafeMutablePointer<wskit_sni_table>
    private let sniContexts: UnsafeMutablePointer<OpaquePointer?>
    private let sniLeaves: UnsafeMutablePointer<OpaquePointer?>
    /// ALPN protocols in wire format, NUL-terminated, read by the C callback.
    private let alpnWire: UnsafeMutablePointer<UInt8>

    /// Builds the contexts, loading every certificate and key (files are read now).
    public init(configuration: TLSServerConfiguration) throws(TLSError) {
        guard !configuration.certificates.isEmpty else { throw .configuration("no certificate") }
        guard let wire = ALPN.wire(configuration.alpnProtocols) else { throw .configuration("invalid ALPN protocol name") }
        var built: [OpaquePointer] = []
        do throws(TLSError) {
            for certificate in configuration.certificates {
                let context = try TLSContextOptions.make(server: true, minimumVersion: configuration.minimumVersion, tickets: configuration.sessionTickets)
                built.append(context)
                guard SSL_CTX_set_cipher_list(context, configuration.cipherList) == 1 else {
                    throw .configuration("cipher list rejected: \(OpenSSLErrors.drain())")
                }
                guard SSL_CTX_set_ciphersuites(context, configuration.cipherSuites) == 1 else {
                    throw .configuration("TLS 1.3 cipher suites rejected: \(OpenSSLErrors.drain())")
                }
                try certificate.install(into: context)
                if let authorities = configuration.clientCertificateAuthorities {
                    try authorities.withBIO("client CA") { (bio) throws(TLSError) in
                        guard wskit_ssl_ctx_add_trust(context, bio) == 1 else {
                            throw .configuration("invalid client CA certificates: \(OpenSSLErrors.drain())")
                        }
                    }
                    SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
                }
            }
        } catch {
            for context in built { SSL_CTX_free(context) }
            throw error
        }
        self.configuration = configuration
        contexts = built
        sniContexts = .allocate(capacity: built.count)
        sniLeaves = .allocate(capacity: built.count)
        for (index, context) in built.enumerated() {
            sniContexts[index] = context
            sniLeaves[index] = SSL_CTX_get0_certificate(context)
        }
        sniTable = .allocate(capacity: 1)
        sniTable.initialize(to: wskit_sni_table(count: Int32(built.count), contexts: sniContexts, leaves: sniLeaves))
        alpnWire = .allocate(capacity: wire.count + 1)
        alpnWire.initialize(from: wire, count: wire.count)
        alpnWire[wire.count] = 0
        for context in built {
            wskit_ssl_ctx_set_sni_table(context, sniTable)
            if !wire.isEmpty { wskit_ssl_ctx_set_alpn_select(context, alpnWire) }
        }
    }

    deinit {
        for context in contexts { SSL_CTX_free(context) }
        sniTable.deallocate()
        sniContexts.deallocate()
        sniLeaves.deallocate()
        alpnWire.deallocate()
    }

    /// A new server-side session (one per accepted connection).
    public func makeSession() throws(TLSError) -> TLSSession {
        try TLSSession(context: contexts[0], owner: self, role: .server)
    }
}
