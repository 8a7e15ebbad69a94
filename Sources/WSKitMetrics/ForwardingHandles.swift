/// The default handles of a sink that makes none of its own: each report goes through the
/// sink's `increment` / `adjust` / `record` with the labels given when the handle was made.
/// A sink gets handles for free, and pre-resolves them (``MetricsRegistry``) when it can do
/// better.
final class ForwardingCounter: CounterHandle {
    let sink: any MetricsSink
    let metric: Metric
    let labels: MetricLabels

    init(sink: any MetricsSink, metric: Metric, labels: MetricLabels) {
        self.sink = sink
        self.metric = metric
        self.labels = labels
    }

    func increment(by amount: Int64) {
        sink.increment(metric, by: amount, labels: labels)
    }
}

/// A gauge handle forwarding to its sink's `adjust` (see ``ForwardingCounter``).
final class ForwardingGauge: GaugeHandle {
    let sink: any MetricsSink
    let metric: Metric
    let labels: MetricLabels

    init(sink: any MetricsSink, metric: Metric, labels: MetricLabels) {
        self.sink = sink
        self.metric = metric
        self.labels = labels
    }

    func adjust(by delta: Double) {
        sink.adjust(metric, by: delta, labels: labels)
    }
}

/// A histogram handle forwarding to its sink's `record` (see ``ForwardingCounter``).
final class ForwardingHistogram: HistogramHandle {
    let sink: any MetricsSink
    let metric: Metric
    let labels: MetricLabels

    init(sink: any MetricsSink, metric: Metric, labels: MetricLabels) {
        self.sink = sink
        self.metric = metric
        self.labels = labels
    }

    func record(_ value: Double) {
        sink.record(metric, value, labels: labels)
    }
}
