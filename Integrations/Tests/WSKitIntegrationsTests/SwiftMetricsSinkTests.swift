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

    @Test("handles resolved once report to the same swift-metrics series as the sink's own calls")
    func resolvedHandles() throws {
        let backend = TestMetrics()
        let sink = SwiftMetricsSink(factory: backend)
        let received = sink.counter(.messagesReceived, labels: .none)
        received.increment(by: 2)
        sink.increment(.messagesReceived, by: 1, labels: .none)
        received.increment(by: 4)
        #expect(try backend.expectCounter("wskit_messages_received_total").totalValue == 7)
        let open = sink.gauge(.connectionsOpen, labels: .none)
        open.adjust(by: 3)
        sink.adjust(.connectionsOpen, by: -1, labels: .none)
        open.adjust(by: -1)
        #expect(try backend.expectMeter("wskit_connections_open").lastValue == 1)
        let latency = sink.histogram(.rpcDuration, labels: MetricLabels("type", "GET"))
        latency.record(0.125)
        sink.record(.rpcDuration, 0.5, labels: MetricLabels("type", "GET"))
        #expect(try backend.expectRecorder("wskit_rpc_duration_seconds", [("type", "GET")]).values == [0.125, 0.5])
        // One series each in the backend, however they were reported to.
        #expect(backend.counters.count == 1 && backend.meters.count == 1 && backend.recorders.count == 1)
    }
}
