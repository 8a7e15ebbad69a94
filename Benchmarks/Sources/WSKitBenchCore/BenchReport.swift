/// One run of the suite: where and how it ran, and every entry.
public struct BenchReport: Sendable, Equatable {
    /// `quick` or `full`.
    public var mode: String
    /// When it ran (UTC, `YYYY-MM-DDTHH:MM:SSZ`).
    public var date: String
    /// The git commit measured (`abc1234`, with `+dirty` when the work tree had changes).
    public var commit: String
    /// The machine, as `name: value` pairs (CPU model, cores, memory, kernel, toolchain…).
    public var machine: [(String, String)]
    /// The servers, in column order: `wskit` first, then the peers.
    public var servers: [String]
    /// Every benchmark result.
    public var entries: [BenchEntry]
    /// Remarks for the reader (skipped peers, what was not possible here…).
    public var notes: [String]

    /// A report.
    public init(
        mode: String, date: String, commit: String, machine: [(String, String)], servers: [String],
        entries: [BenchEntry], notes: [String] = []
    ) {
        self.mode = mode
        self.date = date
        self.commit = commit
        self.machine = machine
        self.servers = servers
        self.entries = entries
        self.notes = notes
    }

    /// The entry for `key` on `server`.
    public func entry(_ key: String, server: String) -> BenchEntry? {
        entries.first { $0.key == key && $0.server == server }
    }

    /// Entry keys in first-seen order.
    public var keys: [String] {
        var seen = Set<String>()
        return entries.compactMap { seen.insert($0.key).inserted ? $0.key : nil }
    }

    /// Field-by-field equality (the machine's pairs in order).
    public static func == (lhs: BenchReport, rhs: BenchReport) -> Bool {
        lhs.mode == rhs.mode && lhs.date == rhs.date && lhs.commit == rhs.commit
            && lhs.machine.map { [$0.0, $0.1] } == rhs.machine.map { [$0.0, $0.1] }
            && lhs.servers == rhs.servers && lhs.entries == rhs.entries && lhs.notes == rhs.notes
    }
}
