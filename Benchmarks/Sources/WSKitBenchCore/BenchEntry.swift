/// The results of one benchmark on one server: a micro benchmark (server `wskit`) or one macro
/// scenario against one server.
public struct BenchEntry: Sendable, Equatable {
    /// A stable identifier of the benchmark across runs, e.g. `micro.frame.parse.small` or
    /// `echo.text32.c100.k1`; ``BenchComparison`` matches entries by key and server.
    public var key: String
    /// The section it belongs to (`micro`, `echo`, `rpc`, `bcast`, `hold`).
    public var group: String
    /// What a reader sees in the table.
    public var title: String
    /// The server measured (`wskit` or a peer's name).
    public var server: String
    /// The metrics, in display order.
    public var metrics: [Metric]
    /// Why a figure is missing or what to keep in mind (shown under the table).
    public var note: String?

    /// An entry.
    public init(key: String, group: String, title: String, server: String, metrics: [Metric], note: String? = nil) {
        self.key = key
        self.group = group
        self.title = title
        self.server = server
        self.metrics = metrics
        self.note = note
    }

    /// The metric named `name`, if measured.
    public func metric(_ name: String) -> Metric? { metrics.first { $0.name == name } }

    /// The median of the metric named `name`, if measured.
    public func value(_ name: String) -> Double? { metric(name)?.value }
}
