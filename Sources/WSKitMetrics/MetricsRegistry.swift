import Synchronization

/// A ``MetricsSink`` that keeps every series in memory and renders it in the Prometheus text
/// format (``prometheusText()``), for a `/metrics` endpoint without any dependency.
///
/// Each series' values live in atomics. WSKit's hot paths report through handles resolved once
/// (``counter(_:labels:)``, …): an atomic add, no lock, no lookup (ADR 0111). A report through
/// ``increment(_:by:labels:)`` and its siblings finds the series under one lock first.
/// Histograms use fixed upper bounds (`histogramBuckets`, seconds by default: 1 ms to 10 s).
public final class MetricsRegistry: MetricsSink, Sendable {
    /// One series: a metric with one set of label values.
    struct SeriesKey: Hashable {
        var name: String
        var labels: MetricLabels

        /// Hashes the name and the label values only (a metric always uses the same label names):
        /// three strings instead of five per report. Equality still compares everything.
        func hash(into hasher: inout Hasher) {
            hasher.combine(name)
            hasher.combine(labels.firstValue)
            hasher.combine(labels.secondValue)
        }
    }

    /// The media type of the Prometheus text format, for a `/metrics` response's `Content-Type`.
    public static let prometheusContentType = PrometheusText.contentType

    /// The histogram bucket upper bounds (ascending; `+Inf` is implicit).
    public let histogramBuckets: [Double]
    private let series = Mutex<[SeriesKey: RegistrySeries]>([:])

    /// Creates an empty registry.
    public init(histogramBuckets: [Double] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]) {
        self.histogramBuckets = histogramBuckets.sorted()
    }

    public func increment(_ metric: Metric, by amount: Int64, labels: MetricLabels) {
        resolve(metric, labels).increment(by: amount)
    }

    public func adjust(_ metric: Metric, by delta: Double, labels: MetricLabels) {
        resolve(metric, labels).adjust(by: delta)
    }

    public func record(_ metric: Metric, _ value: Double, labels: MetricLabels) {
        resolve(metric, labels).record(value)
    }

    /// The series itself: each report is an atomic add on it.
    public func counter(_ metric: Metric, labels: MetricLabels) -> any CounterHandle {
        resolve(metric, labels)
    }

    /// The series itself: each report is an atomic compare-and-exchange on it.
    public func gauge(_ metric: Metric, labels: MetricLabels) -> any GaugeHandle {
        resolve(metric, labels)
    }

    /// The series itself: each observation finds its bucket by comparison and adds atomically.
    public func histogram(_ metric: Metric, labels: MetricLabels) -> any HistogramHandle {
        resolve(metric, labels)
    }

    /// The series of `metric` with `labels`, made the first time (not rendered until reported to).
    private func resolve(_ metric: Metric, _ labels: MetricLabels) -> RegistrySeries {
        let key = SeriesKey(name: metric.name, labels: labels)
        return series.withLock { table in
            if let existing = table[key] { return existing }
            let made = RegistrySeries(metric: metric, labels: labels, histogramBounds: histogramBuckets)
            table[key] = made
            return made
        }
    }

    private func existing(_ metric: Metric, _ labels: MetricLabels) -> RegistrySeries? {
        series.withLock { $0[SeriesKey(name: metric.name, labels: labels)] }
    }

    /// The current value of a counter or gauge (the sum of observations for a histogram), or 0
    /// when nothing was reported.
    public func value(_ metric: Metric, labels: MetricLabels = .none) -> Double {
        existing(metric, labels)?.value ?? 0
    }

    /// How many observations a histogram has, or 0.
    public func observationCount(_ metric: Metric, labels: MetricLabels = .none) -> UInt64 {
        existing(metric, labels)?.observationCount ?? 0
    }

    /// Every series in the Prometheus text exposition format (version 0.0.4): `# HELP` and
    /// `# TYPE` once per metric, series sorted by name and labels, histograms as cumulative
    /// `_bucket{le=…}` lines with `_sum` and `_count`.
    public func prometheusText() -> String {
        let all = series.withLock { Array($0.values) }.filter(\.isUsed)
        let byName = Dictionary(grouping: all, by: \.metric.name)
        var out = ""
        for name in byName.keys.sorted() {
            let group = byName[name]!.sorted { PrometheusText.labelText($0.labels) < PrometheusText.labelText($1.labels) }
            let metric = group[0].metric
            out += "# HELP \(name) \(PrometheusText.escapeHelp(metric.help))\n"
            out += "# TYPE \(name) \(metric.kind.rawValue)\n"
            for series in group {
                switch metric.kind {
                case .counter, .gauge:
                    out += "\(name)\(PrometheusText.labelText(series.labels)) \(PrometheusText.number(series.value))\n"
                case .histogram:
                    // Read once: the cumulative counts and `_count` agree with each other.
                    let counts = series.bucketCounts
                    var cumulative: UInt64 = 0
                    for (index, bound) in series.bounds.enumerated() {
                        cumulative &+= counts[index]
                        let labels = PrometheusText.labelText(series.labels, extra: ("le", PrometheusText.number(bound)))
                        out += "\(name)_bucket\(labels) \(cumulative)\n"
                    }
                    let total = counts.reduce(0, &+)
                    out += "\(name)_bucket\(PrometheusText.labelText(series.labels, extra: ("le", "+Inf"))) \(total)\n"
                    out += "\(name)_sum\(PrometheusText.labelText(series.labels)) \(PrometheusText.number(series.value))\n"
                    out += "\(name)_count\(PrometheusText.labelText(series.labels)) \(total)\n"
                }
            }
        }
        return out
    }
}
