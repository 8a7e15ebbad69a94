/// Renders a ``BenchReport`` as one Markdown table: a row per benchmark metric, a column per
/// server, and WSKit ÷ peer ratio columns.
public enum MarkdownTable {
    /// The table, followed by its notes.
    public static func render(_ report: BenchReport) -> String {
        let servers = report.servers
        let peers = servers.filter { $0 != "wskit" }
        var header = ["benchmark", "metric"] + servers
        header += peers.map { "wskit/\($0)" }
        var lines: [String] = []
        lines.append("| " + header.joined(separator: " | ") + " |")
        lines.append("|" + header.enumerated().map { $0.offset < 2 ? "---" : "---:" }.joined(separator: "|") + "|")
        var footnotes: [String] = []
        for key in report.keys {
            let entries = report.entries.filter { $0.key == key }
            guard let first = entries.first else { continue }
            var firstRow = true
            for row in TableRow.rows(forGroup: first.group) {
                let measured = entries.contains { entry in row.metrics.contains { entry.metric($0) != nil } }
                if !measured { continue }
                var cells = [firstRow ? first.title : "", row.label]
                firstRow = false
                for server in servers {
                    cells.append(cell(entries.first { $0.server == server }, row))
                }
                for peer in peers {
                    cells.append(ratioCell(entries.first { $0.server == "wskit" }, entries.first { $0.server == peer }, row))
                }
                lines.append("| " + cells.joined(separator: " | ") + " |")
            }
            if firstRow {
                // Nothing measured (every server skipped it): one row that says so.
                let cells = [first.title, "—"] + servers.map { server in entries.contains { $0.server == server } ? "n/a" : "" }
                    + peers.map { _ in "" }
                lines.append("| " + cells.joined(separator: " | ") + " |")
            }
            for entry in entries {
                if let note = entry.note { footnotes.append("\(first.title) — \(entry.server): \(note)") }
            }
        }
        let others = servers.compactMap { server -> String? in
            let values = report.entries.filter { $0.server == server }.compactMap { $0.metric("other_cpu")?.samples.max() }
            guard let worst = values.max() else { return nil }
            return "\(server) \(NumberFormat.fixed(worst, digits: 2))"
        }
        var out = lines.joined(separator: "\n") + "\n"
        var notes: [String] = []
        if !peers.isEmpty {
            notes.append("Ratios are WSKit ÷ peer: below 1× is better for CPU, latency and memory (↓), above 1× for rates (↑).")
        }
        if !others.isEmpty {
            notes.append("Highest `other_cpu` (cores used by other processes during a measurement): " + others.joined(separator: ", ") + ".")
        }
        notes += report.notes
        notes += footnotes
        if !notes.isEmpty {
            out += "\n" + notes.map { "- " + $0 }.joined(separator: "\n") + "\n"
        }
        return out
    }

    static func cell(_ entry: BenchEntry?, _ row: TableRow) -> String {
        guard let entry else { return "" }
        let values = row.metrics.compactMap { name -> String? in
            guard let metric = entry.metric(name) else { return nil }
            return row.percent ? NumberFormat.fixed(metric.value * 100, digits: 0) + "%" : NumberFormat.value(metric.value)
        }
        if values.isEmpty { return entry.note == nil ? "–" : "n/a" }
        return values.joined(separator: " / ")
    }

    static func ratioCell(_ wskit: BenchEntry?, _ peer: BenchEntry?, _ row: TableRow) -> String {
        guard let metric = row.ratioMetric, let a = wskit?.value(metric), let b = peer?.value(metric), b != 0 else { return "" }
        return NumberFormat.ratio(a / b)
    }
}
