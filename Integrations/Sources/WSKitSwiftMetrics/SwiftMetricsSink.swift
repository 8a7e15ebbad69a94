import CoreMetrics
import Synchronization
import WSKitMetrics

/// WSKit's ``MetricsSink`` reporting to swift-metrics: counters become `Counter`s, gauges
/// `Meter`s, histograms `Recorder`s (aggregating), labelled with the metric's labels as
/// dimensions. Install it where WSKit takes a sink:
///
/// ```swift
/// let sink = SwiftMetricsSink()               // MetricsSystem.factory, or pass a factory
/// configuration.metrics = sink                // the server
/// let runtime = try router.build(plugins: …, options: RouterOptions(metrics: sink))
/// ```
///
/// Each series' swift-metrics handle is made once and cached (one lock and dictionary lookup per
/// report, then the backend's own cost).
public final class SwiftMetricsSink: MetricsSink, Sendable {
    private struct Key: Hashable {
        var name: String
        var labels: MetricLabels
    }

    private let factory: any MetricsFactory
    private let counters = Mutex<[Key: Counter]>([:])
    private let meters = Mutex<[Key: Meter]>([:])
    private let recorders = Mutex<[Key: Recorder]>([:])

    /// A sink on `factory` (default: the factory bootstrapped in `MetricsSystem`).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    public func increment(_ metric: Metric, by amount: Int64, labels: MetricLabels) {
        let key = Key(name: metric.name, labels: labels)
        let counter = counters.withLock { table in
            if let counter = table[key] { return counter }
            let counter = Counter(label: metric.name, dimensions: Self.dimensions(labels), factory: factory)
            table[key] = counter
            return counter
        }
        counter.increment(by: amount)
    }

    public func adjust(_ metric: Metric, by delta: Double, labels: MetricLabels) {
        let key = Key(name: metric.name, labels: labels)
        let meter = meters.withLock { table in
            if let meter = table[key] { return meter }
            let meter = Meter(label: metric.name, dimensions: Self.dimensions(labels), factory: factory)
            table[key] = meter
            return meter
        }
        if delta >= 0 { meter.increment(by: delta) } else { meter.decrement(by: -delta) }
    }

    public func record(_ metric: Metric, _ value: Double, labels: MetricLabels) {
        let key = Key(name: metric.name, labels: labels)
        let recorder = recorders.withLock { table in
            if let recorder = table[key] { return recorder }
            let recorder = Recorder(label: metric.name, dimensions: Self.dimensions(labels), aggregate: true, factory: factory)
            table[key] = recorder
            return recorder
        }
        recorder.record(value)
    }

    private static func dimensions(_ labels: MetricLabels) -> [(String, String)] {
        labels.pairs.map { ($0.name, $0.value) }
    }
}
