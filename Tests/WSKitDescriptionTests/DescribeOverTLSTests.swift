import Testing
import WSKit
import WSKitDescription
import WSKitLiveFixtures

/// `wskit describe wss://…` fetches the AsyncAPI document over HTTPS from a TLS server, trusting
/// `--ca`.
@Suite("wskit describe over HTTPS", .serialized)
struct DescribeOverTLSTests {
    @Test("describe wss:// trusts --ca, and fails (exit 3) with the wrong CA")
    func describesOverTLS() async throws {
        let certificates = try TestCertificates.shared()
        let router = Router<Void, TypedClientContractTests.Plugins>()
        router.rpc(TypedClientContractTests.Store.self) { ctx in _ = ctx.reply(Empty()) }
        let document = AsyncAPIDocument(APIDescription(
            title: "TLS", version: "1.0.0", router: router, pushes: [TypedClientContractTests.Numbered.self]))
        let server = WebSocketServer(
            configuration: tlsTestConfiguration(certificates), router: try router.build(plugins: .init()),
            http: document.httpHandler()) { _ in .accept(()) }
        try server.start()
        defer { server.shutdown() }
        let url = "wss://localhost:\(server.port)/ws"

        let run = try await CommandLineClientTests.wskit(["describe", url, "--ca", certificates.caCertificate])
        #expect(run.status == 0, "\(run.errors)")
        #expect(Set(run.lines.compactMap { $0["operation"]?.stringValue }) == ["receive_STORE", "send_NUMBER", "send_ERROR"])

        let untrusted = try await CommandLineClientTests.wskit(["describe", url, "--ca", certificates.otherCACertificate])
        #expect(untrusted.status == 3)
        #expect(untrusted.errors.contains("TLS"), "\(untrusted.errors)")
    }
}
