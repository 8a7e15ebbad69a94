import Synchronization

/// One series of a ``MetricsRegistry``: its values in atomics, so that a report through a handle
/// takes no lock (ADR 0111). It is the counter, gauge and histogram handle of its series.
///
/// Counters add to an integer; gauges and histogram sums add to a `Double` kept as its bit
/// pattern (compare-and-exchange loop). A histogram counts each observation in the one bucket
/// it falls in (found by comparison); the cumulative `le` counts and `_count` are summed when
/// rendered, so a scrape concurrent with reports may see them a few observations apart.
final class RegistrySeries: CounterHandle, GaugeHandle, HistogramHandle {
    let metric: Metric
    let labels: MetricLabels
    /// Upper bounds of the histogram buckets (ascending), empty for counters and gauges.
    let bounds: [Double]
    /// One count per bucket plus the last (`+Inf`) for a histogram; empty otherwise.
    let buckets: [BucketCount]
    private let integer = Atomic<Int64>(0)
    private let realBits = Atomic<UInt64>(0)
    /// Set by the first report: a series made by resolving a handle is not rendered until used.
    private let used = Atomic<Bool>(false)

    /// A bucket's observation count (a class: `Atomic` cannot be an array element).
    final class BucketCount: Sendable {
        let count = Atomic<UInt64>(0)
    }

    init(metric: Metric, labels: MetricLabels, histogramBounds: [Double]) {
        self.metric = metric
        self.labels = labels
        if metric.kind == .histogram {
            bounds = histogramBounds
            buckets = (0 ... histogramBounds.count).map { _ in BucketCount() }
        } else {
            bounds = []
            buckets = []
        }
    }

    func increment(by amount: Int64) {
        integer.wrappingAdd(amount, ordering: .relaxed)
        markUsed()
    }

    func adjust(by delta: Double) {
        addReal(delta)
        markUsed()
    }

    func record(_ value: Double) {
        if !buckets.isEmpty {
            var index = 0
            while index < bounds.count, !(value <= bounds[index]) { index += 1 }
            buckets[index].count.wrappingAdd(1, ordering: .relaxed)
        }
        addReal(value)
        markUsed()
    }

    @inline(__always)
    private func markUsed() {
        if !used.load(ordering: .relaxed) { used.store(true, ordering: .relaxed) }
    }

    private func addReal(_ delta: Double) {
        var bits = realBits.load(ordering: .relaxed)
        while true {
            let (exchanged, original) = realBits.compareExchange(
                expected: bits, desired: (Double(bitPattern: bits) + delta).bitPattern, ordering: .relaxed)
            if exchanged { return }
            bits = original
        }
    }

    /// Whether anything was reported (only used series are rendered).
    var isUsed: Bool { used.load(ordering: .relaxed) }

    /// The counter's or gauge's value, or a histogram's sum of observations.
    var value: Double {
        Double(integer.load(ordering: .relaxed)) + Double(bitPattern: realBits.load(ordering: .relaxed))
    }

    /// Observations per bucket, not cumulative (the last is above every bound).
    var bucketCounts: [UInt64] { buckets.map { $0.count.load(ordering: .relaxed) } }

    /// How many observations a histogram has.
    var observationCount: UInt64 { bucketCounts.reduce(0, &+) }
}
