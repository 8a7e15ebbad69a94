import Testing
import WSKitTLS
import WSKitLiveFixtures

/// A server context for the test certificates (`localhost` first, then `other` for SNI).
func makeServerContext(_ certificates: TestCertificates, clientCAs: Bool = false) throws -> TLSServerContext {
    try TLSServerContext(configuration: TLSServerConfiguration(
        certificates: [
            .files(chain: certificates.path("localhost-chain.pem"), privateKey: certificates.path("localhost.key")),
            .files(chain: certificates.path("other.pem"), privateKey: certificates.path("other.key")),
        ],
        clientCertificateAuthorities: clientCAs ? .file(certificates.caCertificate) : nil
    ))
}

/// A client context trusting only the test CA.
func makeClientContext(_ certificates: TestCertificates, certificate: TLSCertificate? = nil, ca: String? = nil) throws -> TLSClientContext {
    try TLSClientContext(configuration: TLSClientConfiguration(
        trustRoots: .certificates(.file(ca ?? certificates.caCertificate)), certificate: certificate
    ))
}

@Suite("TLS session: handshake and data in memory")
struct TLSHandshakeTests {
    @Test("a client and a server complete the handshake on TLS 1.3 with ALPN http/1.1 and exchange data both ways")
    func handshakeAndData() throws {
        let certificates = try TestCertificates.shared()
        let pair = TLSPair(
            client: try makeClientContext(certificates).makeSession(host: "localhost"),
            server: try makeServerContext(certificates).makeSession()
        )
        pair.handshake()
        #expect(pair.clientError == nil)
        #expect(pair.serverError == nil)
        #expect(pair.client.isHandshakeComplete)
        #expect(pair.server.isHandshakeComplete)
        #expect(pair.client.protocolVersion == .v1_3)
        #expect(pair.server.alpnProtocol == "http/1.1")
        #expect(pair.server.serverName == "localhost")

        let large = (0 ..< 100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try large.withUnsafeBytes { try pair.client.write($0) }
        try Array("pong".utf8).withUnsafeBytes { try pair.server.write($0) }
        pair.pump()
        #expect(pair.serverReceived == large)
        #expect(pair.clientReceived == Array("pong".utf8))
        // Everything was sent: no output storage is kept.
        #expect(!pair.client.hasPendingOutput && !pair.server.hasPendingOutput)
    }

    @Test("an IP literal is checked against the certificate's IP addresses (and sends no SNI)")
    func ipAddressHost() throws {
        let certificates = try TestCertificates.shared()
        let pair = TLSPair(
            client: try makeClientContext(certificates).makeSession(host: "127.0.0.1"),
            server: try makeServerContext(certificates).makeSession()
        )
        pair.handshake()
        #expect(pair.clientError == nil)
        #expect(pair.client.isHandshakeComplete)
        #expect(pair.server.serverName == nil)
    }

    @Test("SNI selects the certificate whose names match; an unknown name gets the default one")
    func sniSelectsCertificate() throws {
        let certificates = try TestCertificates.shared()
        let server = try makeServerContext(certificates)
        let other = TLSPair(client: try makeClientContext(certificates).makeSession(host: "other.test"), server: try server.makeSession())
        other.handshake()
        #expect(other.clientError == nil)
        #expect(other.client.isHandshakeComplete)
        #expect(other.server.serverName == "other.test")

        // "unknown.test" gets the default (localhost) certificate, which the client then rejects.
        let unknown = TLSPair(client: try makeClientContext(certificates).makeSession(host: "unknown.test"), server: try server.makeSession())
        unknown.handshake()
        #expect(unknown.clientError == .hostnameMismatch(expected: "unknown.test"))
    }

    @Test("the session keeps the context it was made from alive (a reload never breaks open sessions)")
    func sessionOutlivesContext() throws {
        let certificates = try TestCertificates.shared()
        var context: TLSServerContext? = try makeServerContext(certificates)
        let server = try context!.makeSession()
        context = nil
        let pair = TLSPair(client: try makeClientContext(certificates).makeSession(host: "other.test"), server: server)
        pair.handshake()
        #expect(pair.clientError == nil)
        try Array("after reload".utf8).withUnsafeBytes { try pair.client.write($0) }
        pair.pump()
        #expect(pair.serverReceived == Array("after reload".utf8))
    }

    @Test("close_notify reaches the peer as peerClosed")
    func closeNotify() throws {
        let certificates = try TestCertificates.shared()
        let client = try makeClientContext(certificates).makeSession(host: "localhost")
        let server = try makeServerContext(certificates).makeSession()
        let pair = TLSPair(client: client, server: server)
        pair.handshake()
        server.shutdown()
        let alert = server.withPendingOutput { Array($0) }
        server.consumeOutput(alert.count)
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)
        defer { scratch.deallocate() }
        let outcome = try alert.withUnsafeBytes { try client.receive($0, plaintext: scratch) { _ in true } }
        #expect(outcome == .peerClosed)
    }
}

@Suite("TLS session: certificate errors reach the client typed")
struct TLSCertificateErrorTests {
    func clientError(serving leaf: String, host: String = "localhost", trusting ca: String? = nil) throws -> TLSError? {
        let certificates = try TestCertificates.shared()
        let server = try TLSServerContext(configuration: TLSServerConfiguration(
            certificates: [.files(chain: certificates.path("\(leaf).pem"), privateKey: certificates.path("\(leaf).key"))]
        ))
        let pair = TLSPair(client: try makeClientContext(certificates, ca: ca).makeSession(host: host), server: try server.makeSession())
        pair.handshake()
        #expect(!pair.client.isHandshakeComplete)
        return pair.clientError
    }

    @Test("an expired certificate fails with certificateExpired")
    func expired() throws {
        let error = try clientError(serving: "expired")
        #expect(error == .certificateExpired)
        #expect(error?.isCertificateError == true)
    }

    @Test("a certificate for another host fails with hostnameMismatch")
    func wrongHost() throws {
        let error = try clientError(serving: "wronghost")
        #expect(error == .hostnameMismatch(expected: "localhost"))
        #expect(error?.isCertificateError == true)
    }

    @Test("a certificate from an unknown CA fails with untrustedCertificate")
    func unknownCA() throws {
        let certificates = try TestCertificates.shared()
        let error = try clientError(serving: "localhost", trusting: certificates.otherCACertificate)
        guard case .untrustedCertificate = error else {
            Issue.record("expected untrustedCertificate, got \(String(describing: error))")
            return
        }
        #expect(error?.isCertificateError == true)
    }
}

@Suite("TLS session: bad input to a server")
struct TLSBadInputTests {
    func serverError(after bytes: [UInt8]) throws -> (TLSError?, TLSSession) {
        let certificates = try TestCertificates.shared()
        let server = try makeServerContext(certificates).makeSession()
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)
        defer { scratch.deallocate() }
        do {
            _ = try bytes.withUnsafeBytes { try server.receive($0, plaintext: scratch) { _ in true } }
            return (nil, server)
        } catch {
            return (error as? TLSError, server)
        }
    }

    @Test("plain HTTP is recognised as notTLS")
    func plainHTTP() throws {
        let (error, _) = try serverError(after: Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8))
        #expect(error == .notTLS)
    }

    @Test("random bytes fail the handshake; later calls keep failing")
    func randomBytes() throws {
        var generator = SystemRandomNumberGenerator()
        let garbage = (0 ..< 512).map { _ in UInt8.random(in: 0 ... 255, using: &generator) }
        // 0x42 is no TLS content type (and, high bit clear, no SSLv2-style header either, which
        // would make OpenSSL wait for a random length instead of failing).
        let (error, server) = try serverError(after: [0x42] + garbage)
        #expect(error != nil)
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 16)
        defer { scratch.deallocate() }
        #expect(throws: TLSError.self) { _ = try [UInt8(1)].withUnsafeBytes { try server.receive($0, plaintext: scratch) { _ in true } } }
    }

    @Test("a truncated ClientHello waits for more without failing or answering")
    func truncatedClientHello() throws {
        let certificates = try TestCertificates.shared()
        let client = try makeClientContext(certificates).makeSession(host: "localhost")
        try client.start()
        let hello = client.withPendingOutput { Array($0) }
        let (error, server) = try serverError(after: Array(hello.prefix(hello.count / 2)))
        #expect(error == nil)
        #expect(!server.isHandshakeComplete)
        #expect(!server.hasPendingOutput)
    }

    @Test("a ClientHello offering only TLS 1.0/1.1 fails with unsupportedVersion")
    func oldVersion() throws {
        // A minimal TLS 1.0 ClientHello (record version 3.1, client version 3.1, one cipher).
        var body: [UInt8] = [0x03, 0x01] + [UInt8](repeating: 7, count: 32) + [0x00] + [0x00, 0x02, 0x00, 0x2F] + [0x01, 0x00]
        body = [0x01, 0x00, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
        let record: [UInt8] = [0x16, 0x03, 0x01, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
        let (error, server) = try serverError(after: record)
        #expect(error == .unsupportedVersion)
        // The server answers with a protocol_version alert.
        #expect(server.hasPendingOutput)
    }
}

@Suite("TLS session: mutual TLS and configuration errors")
struct TLSConfigurationTests {
    @Test("a server that requires client certificates accepts one from its CA and refuses a client without one")
    func mutualTLS() throws {
        let certificates = try TestCertificates.shared()
        let server = try makeServerContext(certificates, clientCAs: true)
        let clientCertificate = TLSCertificate.files(chain: certificates.path("client.pem"), privateKey: certificates.path("client.key"))
        let good = TLSPair(
            client: try makeClientContext(certificates, certificate: clientCertificate).makeSession(host: "localhost"),
            server: try server.makeSession()
        )
        good.handshake()
        #expect(good.serverError == nil)
        #expect(good.server.isHandshakeComplete)
        #expect(good.server.peerCertificateSubject?.contains("wskit-client") == true)

        let anonymous = TLSPair(client: try makeClientContext(certificates).makeSession(host: "localhost"), server: try server.makeSession())
        anonymous.handshake()
        #expect(anonymous.serverError != nil)
        #expect(!anonymous.server.isHandshakeComplete)
    }

    @Test("a key that does not match the certificate, a missing file and garbage PEM are configuration errors")
    func badConfiguration() throws {
        let certificates = try TestCertificates.shared()
        func build(_ certificate: TLSCertificate) -> TLSError? {
            do {
                _ = try TLSServerContext(configuration: TLSServerConfiguration(certificates: [certificate]))
                return nil
            } catch { return error }
        }
        let mismatch = build(.files(chain: certificates.path("localhost.pem"), privateKey: certificates.path("other.key")))
        let missing = build(.files(chain: certificates.path("absent.pem"), privateKey: certificates.path("localhost.key")))
        let garbage = build(TLSCertificate(chain: .string("not a certificate"), privateKey: .file(certificates.path("localhost.key"))))
        for error in [mismatch, missing, garbage] {
            guard case .configuration = error else {
                Issue.record("expected a configuration error, got \(String(describing: error))")
                continue
            }
        }
    }

    @Test("certificates and keys load from memory as well as from files")
    func pemInMemory() throws {
        let certificates = try TestCertificates.shared()
        let chain = readTextFile(certificates.path("localhost-chain.pem"))
        let key = readTextFile(certificates.path("localhost.key"))
        let server = try TLSServerContext(configuration: TLSServerConfiguration(certificates: [
            TLSCertificate(chain: .string(chain), privateKey: .string(key)),
        ]))
        let pair = TLSPair(client: try makeClientContext(certificates).makeSession(host: "localhost"), server: try server.makeSession())
        pair.handshake()
        #expect(pair.client.isHandshakeComplete)
    }
}
