import Glibc
import Synchronization
import Testing
import WSKitProtocol
import WSKitServer
import WSKitLiveFixtures

/// A logger that keeps every record (TLS failures must be logged exactly once).
final class RecordingLogger: ServerLogger, Sendable {
    private let records = Mutex<[(LogLevel, String)]>([])
    var minimumLevel: LogLevel { .debug }
    func log(_ level: LogLevel, _ message: String, metadata: [String: String]) {
        records.withLock { $0.append((level, message)) }
    }
    func count(containing text: String) -> Int { records.withLock { $0.filter { $0.1.contains(text) }.count } }
}

/// Runs a shell command to completion and returns its output (standard output and error).
func shellOutput(_ command: String, timeout: Double = 20) throws -> String {
    let child = try ChildProcess(shell: command)
    let deadline = monotonicSeconds() + timeout
    while child.exitStatus == nil, monotonicSeconds() < deadline { usleep(10_000) }
    child.kill()
    return child.output
}

@Suite("TLS server: versions, resumption and batching", .serialized)
struct TLSServerProtocolTests {
    @Test("openssl s_client: TLS 1.0 and 1.1 are refused, TLS 1.2 and 1.3 are accepted with ALPN http/1.1")
    func versions() throws {
        let certificates = try TestCertificates.shared()
        try withServer(tlsTestConfiguration(certificates), echoBehavior()) { _, port in
            func run(_ flag: String) throws -> String {
                try shellOutput("echo | openssl s_client -connect 127.0.0.1:\(port) -servername localhost -alpn http/1.1 \(flag) -CAfile \(certificates.caCertificate) 2>&1")
            }
            for old in ["-tls1", "-tls1_1"] {
                let output = try run(old)
                #expect(output.contains("alert protocol version") || output.contains("no protocols available"), "\(old): \(output)")
                #expect(output.contains("Cipher is (NONE)"), "\(old) must not negotiate a cipher")
            }
            for (flag, version) in [("-tls1_2", "TLSv1.2"), ("-tls1_3", "TLSv1.3")] {
                let output = try run(flag)
                #expect(output.contains("New, \(version), Cipher is"), "\(flag): \(output)")
                #expect(output.contains("Verify return code: 0 (ok)"))
                #expect(output.contains("ALPN protocol: http/1.1"))
            }
        }
    }

    @Test("session tickets: a second connection resumes the first one's session (TLS 1.2 and 1.3)")
    func resumption() throws {
        let certificates = try TestCertificates.shared()
        try withServer(tlsTestConfiguration(certificates), echoBehavior()) { _, port in
            for flag in ["-tls1_2", "-tls1_3"] {
                let session = certificates.path("session\(flag).pem")
                let base = "openssl s_client -connect 127.0.0.1:\(port) -servername localhost \(flag) -CAfile \(certificates.caCertificate)"
                // Keep stdin open a moment so the client reads the TLS 1.3 ticket before leaving.
                let first = try shellOutput("sleep 0.5 | \(base) -sess_out \(session) 2>&1")
                #expect(first.contains("New, TLSv1."), "\(first)")
                let second = try shellOutput("sleep 0.5 | \(base) -sess_in \(session) 2>&1")
                #expect(second.contains("Reused, TLSv1."), "\(flag): \(second)")
            }
        }
    }

    @Test("frames sent in one callback leave in one TLS record (one SSL_write per loop iteration)")
    func oneRecordPerIteration() throws {
        let certificates = try TestCertificates.shared()
        let burst = WebSocketBehavior<Void>(initial: ()) { ws, _ in
            for index in 0 ..< 10 { ws.send(text: "frame \(index)") }
        }
        try withServer(tlsTestConfiguration(certificates), burst) { _, port in
            let client = try TLSRawClient.upgraded(port: port, context: try TLSRawClient.context(trusting: certificates.caCertificate))
            let before = client.applicationRecords
            try client.sendText("go")
            let texts = try (0 ..< 10).map { _ in try client.readFrame().text }
            #expect(texts == (0 ..< 10).map { "frame \($0)" })
            #expect(client.applicationRecords - before == 1)
        }
    }
}

@Suite("TLS server: bad input is closed cleanly", .serialized)
struct TLSServerBadInputTests {
    func configuration(_ certificates: TestCertificates, logger: RecordingLogger) -> ServerConfiguration {
        var configuration = tlsTestConfiguration(certificates)
        configuration.logger = logger
        configuration.handshakeTimeout = .milliseconds(500)
        return configuration
    }

    @Test("plain HTTP, random bytes and an old-version ClientHello are closed at once and logged once each; the server keeps serving")
    func garbage() throws {
        let certificates = try TestCertificates.shared()
        let logger = RecordingLogger()
        var generator = SystemRandomNumberGenerator()
        let random = [UInt8(0x99)] + (0 ..< 600).map { _ in UInt8.random(in: 0 ... 255, using: &generator) }
        var tls10: [UInt8] = [0x03, 0x01] + [UInt8](repeating: 7, count: 32) + [0x00, 0x00, 0x02, 0x00, 0x2F, 0x01, 0x00]
        tls10 = [0x01, 0x00, 0x00, UInt8(tls10.count)] + tls10
        tls10 = [0x16, 0x03, 0x01, 0x00, UInt8(tls10.count)] + tls10
        try withServer(configuration(certificates, logger: logger), echoBehavior()) { server, port in
            let inputs = [Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8), random, tls10]
            for input in inputs {
                let raw = try RawClient(port: port, timeout: 2)
                let started = monotonicSeconds()
                raw.write(input)
                #expect(raw.waitForEOF(), "the server closes the connection")
                #expect(monotonicSeconds() - started < 0.4, "closed at once, not by the handshake timeout")
            }
            #expect(eventuallySync { logger.count(containing: "TLS failed") == inputs.count })
            #expect(eventuallySync { server.connectionCount == 0 }, "no connection is left behind")
            let client = try TLSRawClient.upgraded(port: port, context: try TLSRawClient.context(trusting: certificates.caCertificate))
            try client.sendText("still serving")
            #expect(try client.readFrame().text == "still serving")
        }
    }

    @Test("a truncated ClientHello and a handshake that never starts are closed by the handshake timeout")
    func stalledHandshakes() throws {
        let certificates = try TestCertificates.shared()
        let logger = RecordingLogger()
        try withServer(configuration(certificates, logger: logger), echoBehavior()) { server, port in
            let context = try TLSClientContext(configuration: TLSClientConfiguration(trustRoots: .certificates(.file(certificates.caCertificate))))
            let session = try context.makeSession(host: "localhost")
            try session.start()
            let hello = session.withPendingOutput { Array($0) }
            let truncated = try RawClient(port: port, timeout: 3)
            truncated.write(Array(hello.prefix(hello.count / 2)))
            let silent = try RawClient(port: port, timeout: 3)
            let started = monotonicSeconds()
            #expect(truncated.waitForEOF())
            #expect(silent.waitForEOF())
            let elapsed = monotonicSeconds() - started
            #expect(elapsed >= 0.3 && elapsed < 2.5, "closed by the 0.5 s handshake timeout (after \(elapsed) s)")
            #expect(eventuallySync { server.connectionCount == 0 })
        }
    }
}

@Suite("TLS server: certificate reload", .serialized)
struct TLSReloadTests {
    @Test("reloadTLS while 1,000 connections are open: none is dropped, every one still echoes, new connections get the new certificate")
    func reloadUnderLoad() throws {
        let certificates = try TestCertificates.shared()
        let directory = try TestCertificates(makingIn: nil).directory
        // The server serves files that the test replaces, as a certificate renewal would.
        let chain = directory + "/served.pem"
        let key = directory + "/served.key"
        _ = try shellOutput("cp \(certificates.path("localhost-chain.pem")) \(chain) && cp \(certificates.path("localhost.key")) \(key)")
        var configuration = testConfiguration()
        configuration.tls = TLSServerConfiguration(certificateChainFile: chain, privateKeyFile: key)
        let closes = Recorder<UInt16>()
        let behavior = WebSocketBehavior<Void>(
            upgrade: { _ in .accept(()) },
            message: { ws, message in ws.send(message) },
            close: { _, code, _ in closes.append(code.rawValue) }
        )
        try withServer(configuration, behavior) { server, port in
            let context = try TLSRawClient.context(trusting: certificates.caCertificate)
            var clients: [TLSRawClient] = []
            for _ in 0 ..< 1000 { clients.append(try TLSRawClient.upgraded(port: port, context: context)) }
            #expect(clients[0].session.peerCertificateSubject?.contains("CN=localhost") == true)

            // Renew: the files now hold the `other.test` certificate; reload re-reads them.
            _ = try shellOutput("cp \(certificates.path("other.pem")) \(chain) && cp \(certificates.path("other.key")) \(key)")
            try server.reloadTLS()

            for (index, client) in clients.enumerated() { try client.sendText("after reload \(index)") }
            var echoed = 0
            for (index, client) in clients.enumerated() where try client.readFrame().text == "after reload \(index)" { echoed += 1 }
            #expect(echoed == 1000)
            #expect(closes.count == 0, "no connection was closed")
            #expect(server.connectionCount == 1000)

            let renewed = try TLSRawClient.upgraded(port: port, context: context, serverName: "other.test")
            #expect(renewed.session.peerCertificateSubject?.contains("CN=other.test") == true)
        }
    }

    @Test("a reload whose files do not load fails with .tls and keeps the old certificate")
    func failedReload() throws {
        let certificates = try TestCertificates.shared()
        try withServer(tlsTestConfiguration(certificates), echoBehavior()) { server, port in
            let broken = TLSServerConfiguration(certificateChainFile: certificates.path("localhost.pem"), privateKeyFile: certificates.path("other.key"))
            #expect(throws: ServerError.self) { try server.reloadTLS(broken) }
            let client = try TLSRawClient.upgraded(port: port, context: try TLSRawClient.context(trusting: certificates.caCertificate))
            #expect(client.session.peerCertificateSubject?.contains("CN=localhost") == true)
        }
    }

    @Test("wskit-echo --tls-cert/--tls-key serves wss:// and reloads its certificate on SIGHUP")
    func echoReloadsOnHangup() async throws {
        let certificates = try TestCertificates.shared()
        let directory = try TestCertificates(makingIn: nil).directory
        let chain = directory + "/served.pem"
        let key = directory + "/served.key"
        _ = try shellOutput("cp \(certificates.path("localhost-chain.pem")) \(chain) && cp \(certificates.path("localhost.key")) \(key)")
        let port = freePort()
        let echo = try ChildProcess(try builtExecutable("wskit-echo"), ["--port", "\(port)", "--loops", "1", "--tls-cert", chain, "--tls-key", key])
        defer { echo.terminate() }
        try await echo.waitForPort(port)
        let context = try TLSRawClient.context(trusting: certificates.caCertificate)
        let open = try TLSRawClient.upgraded(port: port, context: context)
        _ = try shellOutput("cp \(certificates.path("other.pem")) \(chain) && cp \(certificates.path("other.key")) \(key)")
        echo.signal(SIGHUP)
        try await echo.waitUntil("the reload is logged") { echo.output.contains("TLS certificates reloaded") }
        let renewed = try TLSRawClient.upgraded(port: port, context: context, serverName: "other.test")
        #expect(renewed.session.peerCertificateSubject?.contains("CN=other.test") == true)
        try open.sendText("still open")
        #expect(try open.readFrame().text == "still open")
    }
}

/// Polls `condition` for up to `timeout` seconds.
func eventuallySync(timeout: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = monotonicSeconds() + timeout
    while monotonicSeconds() < deadline {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}
