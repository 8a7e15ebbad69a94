import Glibc
import Testing
import WSKit
import WSKitDemo
import WSKitLiveFixtures

/// The demo over https and wss on one port, in headless Chromium. The browser trusts exactly the
/// test certificate's key (`--ignore-certificate-errors-spki-list`, a pin on its SHA-256 SPKI:
/// any other certificate is still refused), and the page's client picks `wss:` because the page
/// is https — a `ws:` socket from an https page would be blocked as mixed content.
@Suite("Demo over https/wss in headless Chromium", .serialized)
struct TLSBrowserTests {
    /// The base64 SHA-256 of a certificate's SubjectPublicKeyInfo (Chromium's SPKI pin format).
    static func spkiPin(_ certificate: String) throws -> String {
        let child = try ChildProcess(shell:
            "openssl x509 -in '\(certificate)' -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64")
        let deadline = monotonicSeconds() + 20
        while child.exitStatus == nil, monotonicSeconds() < deadline { usleep(10_000) }
        let pin = child.output.split(separator: "\n").first.map(String.init) ?? ""
        guard child.exitStatus == 0, pin.count == 44 else { throw ChildProcess.Failure("cannot compute the SPKI pin: \(child.output)") }
        return pin
    }

    @Test("the page loads over https and its client chats over wss: on the same port; without the pin the page is refused")
    func httpsAndWss() async throws {
        let certificates = try TestCertificates.shared()
        let directory = TemporaryDirectory()
        var options = DemoOptions()
        options.port = 0
        options.databasePath = directory.path + "/chat.sqlite"
        options.tlsCertificatePath = certificates.path("localhost-chain.pem")
        options.tlsKeyPath = certificates.path("localhost.key")
        let demo = try await DemoServer(options: options, logger: NoLogger())
        try demo.start()
        let port = demo.port
        #expect(demo.isTLS)
        do {
            let pin = try Self.spkiPin(certificates.path("localhost.pem"))
            let chromium = try await HeadlessChromium.launch(extraArguments: ["--ignore-certificate-errors-spki-list=\(pin)"])
            try await runBlocking {
                let page = try BrowserPage(devTools: try DevToolsClient(port: chromium.devToolsPort, path: chromium.devToolsPath), width: 1024, height: 768)
                try page.navigate("https://localhost:\(port)/")
                try page.wait(for: "document.readyState === 'complete' && window.wskitDemo", "the page loaded over https")
                #expect(try page.evaluate("location.protocol").stringValue == "https:")
                try page.evaluate("""
                    document.getElementById('room-input').value = 'secure';
                    document.getElementById('name-input').value = 'Ada';
                    document.getElementById('connect-button').click(); true
                    """)
                let pane = "document.querySelectorAll('.pane')[0]"
                try page.wait(for: "\(pane) && \(pane).querySelector('.badge').textContent === 'Connected'", "the pane connected over wss")
                try page.evaluate("""
                    \(pane).querySelector('.composer .text').value = 'Hello over wss';
                    \(pane).querySelector('.composer .send').click(); true
                    """)
                try page.wait(for: "[...\(pane).querySelectorAll('.msg .text')].some(n => n.textContent === 'Hello over wss')", "the message made the round trip")
            }
            withExtendedLifetime(chromium) {}

            // The control: the same browser without the pin refuses the certificate.
            let unpinned = try await HeadlessChromium.launch()
            try await runBlocking {
                let page = try BrowserPage(devTools: try DevToolsClient(port: unpinned.devToolsPort, path: unpinned.devToolsPath), width: 800, height: 600)
                try page.navigate("https://localhost:\(port)/")
                try page.wait(for: "location.href.startsWith('chrome-error:') || document.title.includes('not private')", "the page is refused",
                              diagnostics: "location.href")
                #expect(try page.evaluate("window.wskitDemo === undefined").boolValue == true)
            }
            withExtendedLifetime(unpinned) {}
        } catch {
            await demo.shutdown()
            throw error
        }
        await demo.shutdown()
    }
}
