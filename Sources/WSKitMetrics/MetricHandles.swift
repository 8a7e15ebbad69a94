/// One counter series (a metric with fixed label values), resolved once by
/// ``MetricsSink/counter(_:labels:)`` and then reported to with no lookup.
///
/// Hot paths (per message, per RPC) hold handles instead of calling
/// ``MetricsSink/increment(_:by:labels:)``: no key is hashed and no label copied per report
/// (ADR 0111). Thread-safe: called concurrently from event loops and handler tasks.
public protocol CounterHandle: AnyObject, Sendable {
    /// Adds `amount` to the counter.
    func increment(by amount: Int64)
}

/// One gauge series, resolved once by ``MetricsSink/gauge(_:labels:)``.
public protocol GaugeHandle: AnyObject, Sendable {
    /// Adds `delta` (positive or negative) to the gauge.
    func adjust(by delta: Double)
}

/// One histogram series, resolved once by ``MetricsSink/histogram(_:labels:)``.
public protocol HistogramHandle: AnyObject, Sendable {
    /// Records one observation.
    func record(_ value: Double)
}
