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
/// Each series' swift-metrics handle is made once and cached. WSKit's hot paths (the server's
/// per-message counts, the router's per-route counts and RPC latency) resolve their series once
/// through ``counter(_:labels:)``, ``gauge(_:labels:)`` and ``histogram(_:labels:)`` and then
/// report straight to the swift-metrics handle: no lock and no lookup per report, only the
/// backend's own cost. Rarer reports (`increment`, `adjust`, `record`) take one lock and lookup.
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
        counter(for: metric, labels: labels).increment(by: amount)
    }

    public func adjust(_ metric: Metric, by delta: Double, labels: MetricLabels) {
        Self.adjust(meter(for: metric, labels: labels), by: delta)
    }

    public func record(_ metric: Metric, _ value: Double, labels: MetricLabels) {
        recorder(for: metric, labels: labels).record(value)
    }

    /// The series' swift-metrics `Counter`, resolved now; reports go straight to it.
    public func counter(_ metric: Metric, labels: MetricLabels) -> any CounterHandle {
        CounterSeries(counter: counter(for: metric, labels: labels))
    }

    /// The series' swift-metrics `Meter`, resolved now; reports go straight to it.
    public func gauge(_ metric: Metric, labels: MetricLabels) -> any GaugeHandle {
        MeterSeries(meter: meter(for: metric, labels: labels))
    }

    /// The series' swift-metrics `Recorder`, resolved now; reports go straight to it.
    public func histogram(_ metric: Metric, labels: MetricLabels) -> any HistogramHandle {
        RecorderSeries(recorder: recorder(for: metric, labels: labels))
    }

    private func counter(for metric: Metric, labels: MetricLabels) -> Counter {
        Self.cached(metric, labels, in: counters) { Counter(label: metric.name, dimensions: $0, factory: factory) }
    }

    private func meter(for metric: Metric, labels: MetricLabels) -> Meter {
        Self.cached(metric, labels, in: meters) { Meter(label: metric.name, dimensions: $0, factory: factory) }
    }

    private func recorder(for metric: Metric, labels: MetricLabels) -> Recorder {
        Self.cached(metric, labels, in: recorders) {
            Recorder(label: metric.name, dimensions: $0, aggregate: true, factory: factory)
        }
    }

    /// The series' swift-metrics object from `table`, made with its labels as dimensions the first
    /// time it is asked for.
    private static func cached<Handle>(
        _ metric: Metric, _ labels: MetricLabels, in table: borrowing Mutex<[Key: Handle]>,
        make: ([(String, String)]) -> Handle
    ) -> Handle {
        let key = Key(name: metric.name, labels: labels)
        return table.withLock { table in
            if let handle = table[key] { return handle }
            let handle = make(labels.pairs.map { ($0.name, $0.value) })
            table[key] = handle
            return handle
        }
    }

    fileprivate static func adjust(_ meter: Meter, by delta: Double) {
        if delta >= 0 { meter.increment(by: delta) } else { meter.decrement(by: -delta) }
    }
}

/// A counter series reported straight to its swift-metrics `Counter`.
private final class CounterSeries: CounterHandle {
    let counter: Counter
    init(counter: Counter) { self.counter = counter }
    func increment(by amount: Int64) { counter.increment(by: amount) }
}

/// A gauge series reported straight to its swift-metrics `Meter`.
private final class MeterSeries: GaugeHandle {
    let meter: Meter
    init(meter: Meter) { self.meter = meter }
    func adjust(by delta: Double) { SwiftMetricsSink.adjust(meter, by: delta) }
}

/// A histogram series reported straight to its swift-metrics `Recorder`.
private final class RecorderSeries: HistogramHandle {
    let recorder: Recorder
    init(recorder: Recorder) { self.recorder = recorder }
    func record(_ value: Double) { recorder.record(value) }
}
