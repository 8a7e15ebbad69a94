import MetricsTestKit
import Testing
import WSKit
import WSKitMetrics
import WSKitSwiftMetrics
import WSKitTesting

struct Hello: Message {
    struct Payload: Codable, Sendable { var text: String }
    static let type = "HELLO"
}

@Suite("swift-metrics bridge: WSKit's metrics reach a swift-metrics backend")
struct SwiftMetricsSinkTests {
    @Test("router messages by type arrive as a Counter with a type dimension")
    func routerCounters() async throws {
        let backend = TestMetrics()
        let sink = SwiftMetricsSink(factory: backend)
        let router = Router<Void, NoPlugins>()
        router.on(Hello.self) { _ in }
        let harness = try TestHarness(router, options: RouterOptions(metrics: sink))
        let client = await harness.connect()
        for _ in 0 ..< 3 { await client.sendText(#"{"type":"HELLO","payload":{"text":"x"}}"#) }
        await client.sendText(#"{"type":"NOPE"}"#)
        #expect(backend.counterTotal(label: "wskit_router_messages_total", dimensions: [("type", "HELLO")]) == 3)
        #expect(backend.counterTotal(
            label: "wskit_router_errors_total", dimensions: [("code", "UNIMPLEMENTED"), ("phase", "dispatch")]) == 1)
    }

    @Test("gauges become Meters (up and down), histograms Recorders")
    func metersAndRecorders() throws {
        let backend = TestMetrics()
        let sink = SwiftMetricsSink(factory: backend)
        sink.adjust(.connectionsOpen, by: 2, labels: .none)
        sink.adjust(.connectionsOpen, by: -1, labels: .none)
        #expect(try backend.expectMeter("wskit_connections_open").lastValue == 1)
        sink.record(.rpcDuration, 0.25, labels: MetricLabels("type", "GET"))
        sink.record(.rpcDuration, 0.5, labels: MetricLabels("type", "GET"))
        #expect(try backend.expectRecorder("wskit_rpc_duration_seconds", [("type", "GET")]).values == [0.25, 0.5])
    }
}
