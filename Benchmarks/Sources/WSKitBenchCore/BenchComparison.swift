/// Compares two reports (before and after a change) metric by metric and flags the changes that
/// exceed the noise.
///
/// A change counts when it is larger than all of: the metric's noise floor (``MetricInfo``), the
/// spread of the samples within the run before, and the spread within the run after. Metrics of
/// no clear direction (cores busy) are listed but never flagged.
public struct BenchComparison: Sendable {
    /// How one metric moved.
    public enum Verdict: String, Sendable {
        /// Worse beyond the noise.
        case regression
        /// Better beyond the noise.
        case improvement
        /// Within the noise.
        case unchanged
        /// A metric of no direction.
        case informational
    }

    /// One compared metric.
    public struct Row: Sendable {
        /// The entry's key.
        public var key: String
        /// The entry's title.
        public var title: String
        /// The server.
        public var server: String
        /// The metric's name.
        public var metric: String
        /// The median before.
        public var before: Double
        /// The median after.
        public var after: Double
        /// (after − before) ÷ before.
        public var change: Double
        /// The relative change the verdict needed to exceed.
        public var threshold: Double
        /// The verdict.
        public var verdict: Verdict
    }

    /// Every metric present in both reports.
    public let rows: [Row]
    /// Entries (key and server) present in only one report.
    public let unmatched: [String]

    /// Compares `before` with `after`.
    public init(before: BenchReport, after: BenchReport) {
        var rows: [Row] = []
        var unmatched: [String] = []
        for entry in after.entries {
            guard let old = before.entry(entry.key, server: entry.server) else {
                unmatched.append("\(entry.key) (\(entry.server)): only after")
                continue
            }
            for metric in entry.metrics {
                guard let oldMetric = old.metric(metric.name) else { continue }
                rows.append(Self.compare(entry: entry, old: oldMetric, new: metric))
            }
        }
        for entry in before.entries where after.entry(entry.key, server: entry.server) == nil {
            unmatched.append("\(entry.key) (\(entry.server)): only before")
        }
        self.rows = rows
        self.unmatched = unmatched
    }

    static func compare(entry: BenchEntry, old: Metric, new: Metric) -> Row {
        let info = MetricInfo.named(new.name)
        let before = old.value, after = new.value
        let change = before != 0 ? (after - before) / abs(before) : (after == 0 ? 0 : .infinity)
        let threshold = max(info.noiseFloor, old.spread, new.spread)
        let bigEnough = abs(change) > threshold && abs(after - before) >= info.absoluteFloor
        let verdict: Verdict
        switch info.direction {
        case .neutral:
            verdict = .informational
        case .lowerIsBetter:
            verdict = !bigEnough ? .unchanged : (after > before ? .regression : .improvement)
        case .higherIsBetter:
            verdict = !bigEnough ? .unchanged : (after < before ? .regression : .improvement)
        }
        return Row(
            key: entry.key, title: entry.title, server: entry.server, metric: new.name, before: before, after: after,
            change: change, threshold: threshold, verdict: verdict)
    }

    /// The rows flagged as regressions.
    public var regressions: [Row] { rows.filter { $0.verdict == .regression } }

    /// The rows flagged as improvements.
    public var improvements: [Row] { rows.filter { $0.verdict == .improvement } }

    /// A Markdown report: a summary line, then a table of every metric (or, with `onlyChanges`,
    /// only the regressions and improvements).
    public func markdown(onlyChanges: Bool = false) -> String {
        var lines = [
            "\(regressions.count) regression(s), \(improvements.count) improvement(s), "
                + "\(rows.filter { $0.verdict == .unchanged }.count) within noise.",
            "",
            "| benchmark | server | metric | before | after | change | noise threshold | verdict |",
            "|---|---|---|---:|---:|---:|---:|---|",
        ]
        let order: [Verdict] = [.regression, .improvement, .unchanged, .informational]
        let shown = rows.filter { !onlyChanges || $0.verdict == .regression || $0.verdict == .improvement }
            .sorted { order.firstIndex(of: $0.verdict)! < order.firstIndex(of: $1.verdict)! }
        for row in shown {
            let mark: String
            switch row.verdict {
            case .regression: mark = "**REGRESSION**"
            case .improvement: mark = "improvement"
            case .unchanged: mark = "within noise"
            case .informational: mark = "(info)"
            }
            lines.append("| \(row.title) | \(row.server) | \(MetricInfo.named(row.metric).label) | "
                + "\(NumberFormat.value(row.before)) | \(NumberFormat.value(row.after)) | \(NumberFormat.percent(row.change)) | "
                + "±\(NumberFormat.fixed(row.threshold * 100, digits: 0))% | \(mark) |")
        }
        if !unmatched.isEmpty {
            lines.append("")
            lines += unmatched.map { "- not compared: \($0)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
