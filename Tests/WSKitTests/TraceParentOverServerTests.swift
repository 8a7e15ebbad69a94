import Testing
import WSKit
import WSKitLiveFixtures
import WSKitTestMessages

/// The upgrade request's `traceparent` reaches handlers as `ctx.traceParent`.
@Suite("Trace context from the upgrade, over real sockets")
struct TraceParentOverServerTests {
    @Test("a handler sees the upgrade's traceparent; without one (or a malformed one) it sees nil")
    func traceParentReachesHandlers() async throws {
        try await runBlocking {
            let router = Router<Visitor, HostedPlugins>()
            router.on(Routed.Say.self) { ctx in
                ctx.send(Routed.Said.self, .init(text: ctx.traceParent?.description ?? "none", name: ctx.data.name))
            }
            let server = WebSocketServer(configuration: testConfiguration(), router: try router.build(plugins: HostedPlugins())) { _ in
                .accept(Visitor(name: "t"))
            }
            try server.start()
            defer { server.shutdown() }
            let header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
            for (headers, expected) in [(["traceparent: \(header)"], header), ([], "none"), (["traceparent: nope"], "none")] {
                let client = try RawClient.upgraded(port: server.port, path: "/", headers: headers)
                client.sendText(#"{"type":"SAY","payload":{"text":"x"}}"#)
                let reply = try RouterOverServerTests.json(client.readFrame())
                #expect(reply["payload"]?["text"]?.stringValue == expected)
            }
        }
    }
}
