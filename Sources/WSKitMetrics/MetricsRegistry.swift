import Synchronization

/// A ``MetricsSink`` that keeps every series in memory and renders it in the Prometheus text
/// format (``prometheusText()``), for a `/metrics` endpoint without any dependency.
///
/// One lock guards the series table: each report is one dictionary update under it. Histograms
/// use fixed upper bounds (`histogramBuckets`, seconds by default: 1 ms to 10 s).
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

    struct Series {
        var metric: Metric
        var labels: MetricLabels
        var value: Double = 0
        var bucketCounts: [UInt64] = []
        var count: UInt64 = 0
    }

    /// The media type of the Prometheus text format, for a `/metrics` response's `Content-Type`.
    public static let prometheusContentType = PrometheusText.contentType

    /// The histogram bucket upper bounds (ascending; `+Inf` is implicit).
    public let histogramBuckets: [Double]
    private let series = Mutex<[SeriesKey: Series]>([:])

    /// Creates an empty registry.
    public init(histogramBuckets: [Double] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]) {
        self.histogramBuckets = histogramBuckets.sorted()
    }

    public func increment(_ metric: Metric, by amount: Int64, labels: MetricLabels) {
        update(metric, labels) { $0.value += Double(amount) }
    }

    public func adjust(_ metric: Metric, by delta: Double, labels: MetricLabels) {
        update(metric, labels) { $0.value += delta }
    }

    public func record(_ metric: Metric, _ value: Double, labels: MetricLabels) {
        let buckets = histogramBuckets
        update(metric, labels) { series in
            if series.bucketCounts.isEmpty { series.bucketCounts = Array(repeating: 0, count: buckets.count) }
            for (index, bound) in buckets.enumerated() where value <= bound { series.bucketCounts[index] += 1 }
            series.count += 1
            series.value += value
        }
    }

    private func update(_ metric: Metric, _ labels: MetricLabels, _ body: (inout Series) -> Void) {
        series.withLock { table in
            // One lookup: the series is made in place the first time.
            body(&table[SeriesKey(name: metric.name, labels: labels), default: Series(metric: metric, labels: labels)])
        }
    }

    /// The current value of a counter or gauge (the sum of observations for a histogram), or 0
    /// when nothing was reported.
    public func value(_ metric: Metric, labels: MetricLabels = .none) -> Double {
        series.withLock { $0[SeriesKey(name: metric.name, labels: labels)]?.value ?? 0 }
    }

    /// How many observations a histogram has, or 0.
    public func observationCount(_ metric: Metric, labels: MetricLabels = .none) -> UInt64 {
        series.withLock { $0[SeriesKey(name: metric.name, labels: labels)]?.count ?? 0 }
    }

    /// Every series in the Prometheus text exposition format (version 0.0.4): `# HELP` and
    /// `# TYPE` once per metric, series sorted by name and labels, histograms as cumulative
    /// `_bucket{le=…}` lines with `_sum` and `_count`.
    public func prometheusText() -> String {
        let all = series.withLock { Array($0.values) }
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
                    for (index, bound) in histogramBuckets.enumerated() {
                        let labels = PrometheusText.labelText(series.labels, extra: ("le", PrometheusText.number(bound)))
                        out += "\(name)_bucket\(labels) \(series.bucketCounts[index])\n"
                    }
                    out += "\(name)_bucket\(PrometheusText.labelText(series.labels, extra: ("le", "+Inf"))) \(series.count)\n"
                    out += "\(name)_sum\(PrometheusText.labelText(series.labels)) \(PrometheusText.number(series.value))\n"
                    out += "\(name)_count\(PrometheusText.labelText(series.labels)) \(series.count)\n"
                }
            }
        }
        return out
    }
}
