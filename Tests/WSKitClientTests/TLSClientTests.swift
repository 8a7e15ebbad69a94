import Glibc
import Testing
import WSKitProtocol
import WSKitServer
import WSKitLiveFixtures
@testable import WSKitClient

/// The project's own client over `wss://` against the project's own server.
@Suite("Client over wss:// (TLSTransport against the TLS server)")
struct TLSClientTests {
    func options(trusting ca: String, certificate: TLSCertificate? = nil) -> WebSocketConnectionOptions {
        var options = WebSocketConnectionOptions(heartbeat: nil)
        options.transport = TLSTransport(configuration: TLSClientConfiguration(trustRoots: .certificates(.file(ca)), certificate: certificate))
        return options
    }

    func connect(_ url: String, options: WebSocketConnectionOptions) throws -> (WebSocketClientConnection, EventLog) {
        let log = EventLog()
        let connection = try WebSocketClientConnection(url: WebSocketURL(url), options: options) { log.events.append($0) }
        connection.start()
        return (connection, log)
    }

    /// Runs `body` against a TLS echo server serving `leaf`.
    func withTLSEcho(leaf: String = "localhost", _ body: (Int) async throws -> Void) async throws {
        let certificates = try TestCertificates.shared()
        let server = WebSocketServer(configuration: tlsTestConfiguration(certificates, leaf: leaf), behavior: echoBehavior())
        try server.start()
        defer { server.shutdown() }
        try await body(server.port)
    }

    @Test("text and a 200 KB binary message echo over wss:// (by name and by IP), and the close is clean", arguments: ["localhost", "127.0.0.1"])
    func echo(host: String) async throws {
        let certificates = try TestCertificates.shared()
        try await withTLSEcho { port in
            let (connection, log) = try connect("wss://\(host):\(port)/", options: options(trusting: certificates.caCertificate))
            let large = (0 ..< 200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            connection.send(text: "héllo over TLS")
            connection.send(binary: large)
            #expect(await eventually(timeout: 10) { log.texts.count == 1 && log.binaries.count == 1 })
            #expect(log.texts == ["héllo over TLS"])
            #expect(log.binaries.first == large)
            connection.close(code: .normalClosure, reason: "bye")
            let info = await log.waitClosed()
            #expect(info?.cause == .clientClosed)
            #expect(info?.wasClean == true)
        }
    }

    @Test("the default transport verifies against the system trust store: the test CA is not in it")
    func systemTrustRejectsTestCA() async throws {
        try await withTLSEcho { port in
            let (_, log) = try connect("wss://localhost:\(port)/", options: WebSocketConnectionOptions(heartbeat: nil))
            let info = await log.waitClosed()
            guard case .transport(.tls(.untrustedCertificate)) = info?.cause else {
                Issue.record("expected an untrusted-certificate error, got \(String(describing: info))")
                return
            }
            #expect(info?.wasOpen == false)
        }
    }

    @Test("an expired certificate, a wrong-host certificate and an unknown CA reach the app as typed TLS errors")
    func certificateErrors() async throws {
        let certificates = try TestCertificates.shared()
        let cases: [(leaf: String, ca: String, expected: (TLSError) -> Bool)] = [
            ("expired", certificates.caCertificate, { $0 == .certificateExpired }),
            ("wronghost", certificates.caCertificate, { $0 == .hostnameMismatch(expected: "localhost") }),
            ("localhost", certificates.otherCACertificate, { if case .untrustedCertificate = $0 { true } else { false } }),
        ]
        for (leaf, ca, expected) in cases {
            try await withTLSEcho(leaf: leaf) { port in
                let (_, log) = try connect("wss://localhost:\(port)/", options: options(trusting: ca))
                let info = await log.waitClosed()
                guard case .transport(.tls(let error)) = info?.cause, expected(error) else {
                    Issue.record("\(leaf): unexpected close \(String(describing: info))")
                    return
                }
                #expect(info.map { ReconnectPolicy().allowsReconnect(after: $0) } == false, "a certificate error is terminal")
            }
        }
    }

    @Test("WebSocketClient with reconnects on gives up at once on a certificate error (no retry loop)")
    func certificateErrorIsTerminal() async throws {
        let certificates = try TestCertificates.shared()
        try await withTLSEcho(leaf: "expired") { port in
            let configuration = WebSocketClientConfiguration(
                url: try WebSocketURL("wss://localhost:\(port)/"),
                connection: options(trusting: certificates.caCertificate),
                reconnect: ReconnectPolicy(initialDelay: .milliseconds(10), maxDelay: .milliseconds(20))
            )
            let client = WebSocketClient(configuration: configuration)
            let started = monotonicSeconds()
            do {
                try await client.connect()
                Issue.record("connect succeeded against an expired certificate")
            } catch {
                guard case .connectionFailed(let info)? = error as? WebSocketClientError, case .transport(.tls(.certificateExpired)) = info.cause else {
                    Issue.record("unexpected error \(error)")
                    return
                }
            }
            #expect(monotonicSeconds() - started < 5)
            #expect(client.state == .closed)
        }
    }

    @Test("mutual TLS: a server that requires client certificates accepts the client's and refuses a client without one")
    func mutualTLS() async throws {
        let certificates = try TestCertificates.shared()
        var configuration = tlsTestConfiguration(certificates)
        configuration.tls?.clientCertificateAuthorities = .file(certificates.caCertificate)
        let server = WebSocketServer(configuration: configuration, behavior: echoBehavior())
        try server.start()
        defer { server.shutdown() }
        let clientCertificate = TLSCertificate.files(chain: certificates.path("client.pem"), privateKey: certificates.path("client.key"))
        let (connection, log) = try connect(
            "wss://localhost:\(server.port)/", options: options(trusting: certificates.caCertificate, certificate: clientCertificate)
        )
        connection.send(text: "with a certificate")
        #expect(await eventually(timeout: 10) { log.texts == ["with a certificate"] })
        connection.close()
        _ = await log.waitClosed()

        let (_, anonymous) = try connect("wss://localhost:\(server.port)/", options: options(trusting: certificates.caCertificate))
        let info = await anonymous.waitClosed()
        #expect(info?.wasOpen == false)
        #expect(anonymous.opened == nil)
    }

    @Test("Python websockets with an ssl context that verifies the test CA echoes over the TLS server; a wrong server name is rejected")
    func pythonClient() async throws {
        let certificates = try TestCertificates.shared()
        let script = #"""
            import asyncio, ssl, sys
            from websockets.asyncio.client import connect
            async def main(port, ca):
                context = ssl.create_default_context(cafile=ca)
                async with connect(f"wss://localhost:{port}/", ssl=context) as ws:
                    await ws.send("hello from python")
                    print("TEXT", await ws.recv(), flush=True)
                    await ws.send(bytes(range(256)) * 400)
                    reply = await ws.recv()
                    print("BINARY", len(reply), reply == bytes(range(256)) * 400, flush=True)
                try:
                    async with connect(f"wss://127.0.0.1:{port}/", ssl=context, server_hostname="wrong.test") as ws:
                        print("WRONG-HOST ACCEPTED", flush=True)
                except ssl.SSLCertVerificationError as error:
                    print("WRONG-HOST REJECTED", error.verify_message, flush=True)
            asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
            """#
        let path = certificates.path("python-client-\(UInt32.random(in: 0 ... .max)).py")
        let file = fopen(path, "w")
        fputs(script, file)
        fclose(file)
        try await withTLSEcho { port in
            let python = try ChildProcess(try PythonServer.python(), ["-u", path, "\(port)", certificates.caCertificate])
            try await python.waitUntil("the Python client finishes", timeout: 30) { python.exitStatus != nil }
            let output = python.output
            #expect(output.contains("TEXT hello from python"), "\(output)")
            #expect(output.contains("BINARY 102400 True"), "\(output)")
            #expect(output.contains("WRONG-HOST REJECTED"), "\(output)")
        }
    }
}
