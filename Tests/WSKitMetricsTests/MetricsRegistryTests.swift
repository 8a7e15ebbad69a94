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
}
