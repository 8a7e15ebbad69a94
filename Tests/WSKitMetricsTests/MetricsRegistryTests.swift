import Testing
import WSKitMetrics

@Suite("MetricsRegistry: aggregation and the Prometheus text format")
struct MetricsRegistryTests {
    @Test("counters add per label set; gauges go up and down; HELP and TYPE once per metric")
    func countersAndGauges() throws {
        let registry = MetricsRegistry()
        registry.increment(.connectionsAccepted)
        registry.increment(.connectionsAccepted, by: 2, labels: .none)
        registry.increment(.routerMessages, by: 1, labels: MetricLabels("type", "SAY"))
        registry.increment(.routerMessages, by: 4, labels: MetricLabels("type", "SAY"))
        registry.increment(.routerMessages, by: 1, labels: MetricLabels("type", "JOIN"))
        registry.adjust(.connectionsOpen, by: 3, labels: .none)
        registry.adjust(.connectionsOpen, by: -1, labels: .none)

        #expect(registry.value(.connectionsAccepted) == 3)
        #expect(registry.value(.routerMessages, labels: MetricLabels("type", "SAY")) == 5)
        let text = registry.prometheusText()
        let scrape = try PrometheusScrape(parsing: text)
        #expect(scrape["wskit_connections_accepted_total"] == 3)
        #expect(scrape[#"wskit_router_messages_total{type="SAY"}"#] == 5)
        #expect(scrape[#"wskit_router_messages_total{type="JOIN"}"#] == 1)
        #expect(scrape["wskit_connections_open"] == 2)
        #expect(scrape.types["wskit_router_messages_total"] == "counter")
        #expect(scrape.types["wskit_connections_open"] == "gauge")
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("# HELP wskit_router_messages_total ") }.count == 1)
    }

    @Test("histograms: cumulative buckets, +Inf, _sum and _count")
    func histogram() throws {
        let registry = MetricsRegistry(histogramBuckets: [0.01, 0.1, 1])
        let labels = MetricLabels("type", "GET")
        for value in [0.005, 0.05, 0.05, 0.5, 3] { registry.record(.rpcDuration, value, labels: labels) }
        let scrape = try PrometheusScrape(parsing: registry.prometheusText())
        #expect(scrape[#"wskit_rpc_duration_seconds_bucket{type="GET",le="0.01"}"#] == 1)
        #expect(scrape[#"wskit_rpc_duration_seconds_bucket{type="GET",le="0.1"}"#] == 3)
        #expect(scrape[#"wskit_rpc_duration_seconds_bucket{type="GET",le="1"}"#] == 4)
        #expect(scrape[#"wskit_rpc_duration_seconds_bucket{type="GET",le="+Inf"}"#] == 5)
        #expect(scrape[#"wskit_rpc_duration_seconds_count{type="GET"}"#] == 5)
        #expect(abs((scrape[#"wskit_rpc_duration_seconds_sum{type="GET"}"#] ?? 0) - 3.605) < 1e-9)
        #expect(scrape.types["wskit_rpc_duration_seconds"] == "histogram")
        #expect(registry.observationCount(.rpcDuration, labels: labels) == 5)
    }

    @Test("label values are escaped, so no value can break a line")
    func escaping() {
        let registry = MetricsRegistry()
        registry.increment(.routerErrors, by: 1, labels: MetricLabels("code", "a\"b\\c\nd", "phase", "x"))
        let text = registry.prometheusText()
        #expect(text.contains(#"wskit_router_errors_total{code="a\"b\\c\nd",phase="x"} 1"#))
        #expect(text.split(separator: "\n").count == 3)
    }

    @Test("concurrent reports from many threads all count")
    func concurrency() async {
        let registry = MetricsRegistry()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0 ..< 8 {
                group.addTask { for _ in 0 ..< 1000 { registry.increment(.messagesReceived) } }
            }
        }
        #expect(registry.value(.messagesReceived) == 8000)
    }

    @Test("handles report to the same series as the sink's calls, from many threads")
    func handles() async throws {
        let registry = MetricsRegistry(histogramBuckets: [0.01, 0.1])
        let say = registry.counter(.routerMessages, labels: MetricLabels("type", "SAY"))
        let open = registry.gauge(.connectionsOpen, labels: .none)
        let latency = registry.histogram(.rpcDuration, labels: MetricLabels("type", "GET"))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0 ..< 8 {
                group.addTask {
                    for _ in 0 ..< 1000 {
                        say.increment(by: 1)
                        open.adjust(by: 0.5)
                        latency.record(0.05)
                    }
                }
            }
        }
        registry.increment(.routerMessages, by: 2, labels: MetricLabels("type", "SAY"))
        #expect(registry.value(.routerMessages, labels: MetricLabels("type", "SAY")) == 8002)
        #expect(registry.value(.connectionsOpen) == 4000)
        #expect(registry.observationCount(.rpcDuration, labels: MetricLabels("type", "GET")) == 8000)
        let scrape = try PrometheusScrape(parsing: registry.prometheusText())
        #expect(scrape[#"wskit_rpc_duration_seconds_bucket{type="GET",le="0.01"}"#] == 0)
        #expect(scrape[#"wskit_rpc_duration_seconds_bucket{type="GET",le="0.1"}"#] == 8000)
        #expect(scrape[#"wskit_rpc_duration_seconds_bucket{type="GET",le="+Inf"}"#] == 8000)
        #expect(abs((scrape[#"wskit_rpc_duration_seconds_sum{type="GET"}"#] ?? 0) - 400) < 1e-6)
    }

    @Test("a resolved handle that was never reported to renders nothing")
    func unusedHandlesAreHidden() {
        let registry = MetricsRegistry()
        _ = registry.counter(.rpcCalls, labels: MetricLabels("type", "GET", "outcome", "cancelled"))
        _ = registry.histogram(.rpcDuration, labels: MetricLabels("type", "GET"))
        #expect(registry.prometheusText() == "")
        let gauge = registry.gauge(.connectionsOpen, labels: .none)
        gauge.adjust(by: 1)
        gauge.adjust(by: -1)
        #expect(registry.prometheusText().contains("wskit_connections_open 0\n"))
    }
}

/// A sink with only the three required calls: its handles forward to them. Used from one
/// thread only (hence unchecked).
private final class RecordingSink: MetricsSink, @unchecked Sendable {
    var calls: [String] = []
    func increment(_ metric: Metric, by amount: Int64, labels: MetricLabels) {
        calls.append("\(metric.name) +\(amount) \(labels.pairs.map(\.value))")
    }
    func adjust(_ metric: Metric, by delta: Double, labels: MetricLabels) {
        calls.append("\(metric.name) ~\(delta)")
    }
    func record(_ metric: Metric, _ value: Double, labels: MetricLabels) {
        calls.append("\(metric.name) =\(value) \(labels.pairs.map(\.value))")
    }
}

@Suite("MetricsSink: default handles")
struct DefaultHandleTests {
    @Test("a sink without its own handles gets ones that forward with the resolved labels")
    func forwarding() {
        let sink = RecordingSink()
        sink.counter(.rpcCalls, labels: MetricLabels("type", "GET", "outcome", "ok")).increment(by: 2)
        sink.gauge(.connectionsOpen, labels: .none).adjust(by: -1)
        sink.histogram(.rpcDuration, labels: MetricLabels("type", "GET")).record(0.25)
        #expect(sink.calls == [
            "wskit_rpc_calls_total +2 [\"GET\", \"ok\"]",
            "wskit_connections_open ~-1.0",
            "wskit_rpc_duration_seconds =0.25 [\"GET\"]",
        ])
    }
}
