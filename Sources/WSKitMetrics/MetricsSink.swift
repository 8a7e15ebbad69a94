/// Where WSKit's server, router and plugins report metrics: install one (the built-in
/// ``MetricsRegistry``, or a bridge to swift-metrics) with `ServerConfiguration.metrics` and
/// `RouterOptions.metrics`.
///
/// With no sink installed (the default), every reporting site is one `nil` check: nothing is
/// built, no label is made (ADR 0110). Methods are called synchronously on event-loop threads and
/// in handler tasks, concurrently: they must be thread-safe and must not block. Class-bound, so
/// that the `(any MetricsSink)?` the hot paths test is one pointer (no existential box copy).
public protocol MetricsSink: AnyObject, Sendable {
    /// Adds `amount` to a counter.
    func increment(_ metric: Metric, by amount: Int64, labels: MetricLabels)
    /// Adds `delta` (positive or negative) to a gauge.
    func adjust(_ metric: Metric, by delta: Double, labels: MetricLabels)
    /// Records one observation of a histogram (seconds, bytes, …).
    func record(_ metric: Metric, _ value: Double, labels: MetricLabels)

    /// A handle on one counter series, for a hot path to report to without a lookup (ADR 0111).
    /// WSKit asks once per series (at router build, server start) and keeps it. The default
    /// forwards each report to ``increment(_:by:labels:)``.
    func counter(_ metric: Metric, labels: MetricLabels) -> any CounterHandle
    /// A handle on one gauge series (default: forwards to ``adjust(_:by:labels:)``).
    func gauge(_ metric: Metric, labels: MetricLabels) -> any GaugeHandle
    /// A handle on one histogram series (default: forwards to ``record(_:_:labels:)``).
    func histogram(_ metric: Metric, labels: MetricLabels) -> any HistogramHandle
}

extension MetricsSink {
    /// A handle that forwards to ``increment(_:by:labels:)``.
    public func counter(_ metric: Metric, labels: MetricLabels) -> any CounterHandle {
        ForwardingCounter(sink: self, metric: metric, labels: labels)
    }

    /// A handle that forwards to ``adjust(_:by:labels:)``.
    public func gauge(_ metric: Metric, labels: MetricLabels) -> any GaugeHandle {
        ForwardingGauge(sink: self, metric: metric, labels: labels)
    }

    /// A handle that forwards to ``record(_:_:labels:)``.
    public func histogram(_ metric: Metric, labels: MetricLabels) -> any HistogramHandle {
        ForwardingHistogram(sink: self, metric: metric, labels: labels)
    }

    /// Adds one to a counter without labels.
    @inlinable public func increment(_ metric: Metric) {
        increment(metric, by: 1, labels: .none)
    }
}
