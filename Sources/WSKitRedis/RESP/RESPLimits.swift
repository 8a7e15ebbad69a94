/// Bounds the parser enforces on what a server sends, so that a broken or hostile server cannot
/// make the client allocate without bound.
///
/// Each limit is checked as soon as a header reveals the length, before any payload is buffered.
/// Nothing is reserved from a declared length: memory grows only with bytes that arrived.
public struct RESPLimits: Sendable, Hashable {
    /// The longest bulk string, blob error or verbatim string, in bytes. Default 512 MiB, the
    /// server's own `proto-max-bulk-len`.
    public var maxBulkLength: Int
    /// The most elements one array, set or push may have, and the most pairs one map or attribute
    /// may have. Default 16 Mi.
    public var maxAggregateLength: Int
    /// The deepest nesting of aggregates (a top-level array is depth 1). Default 64.
    public var maxDepth: Int
    /// The largest encoded size, in bytes, of one top-level reply (all its nested elements
    /// together), so an endless aggregate cannot grow without bound. Default 1 GiB.
    public var maxReplyLength: Int
    /// The longest header or simple-type line (simple string, error, number), in bytes, without
    /// its CRLF. Default 64 KiB.
    public var maxLineLength: Int

    /// Creates limits; every parameter defaults to the value documented on its property.
    public init(
        maxBulkLength: Int = 512 << 20,
        maxAggregateLength: Int = 16 << 20,
        maxDepth: Int = 64,
        maxReplyLength: Int = 1 << 30,
        maxLineLength: Int = 64 << 10
    ) {
        self.maxBulkLength = maxBulkLength
        self.maxAggregateLength = maxAggregateLength
        self.maxDepth = maxDepth
        self.maxReplyLength = maxReplyLength
        self.maxLineLength = maxLineLength
    }

    /// The defaults documented on each property.
    public static let `default` = RESPLimits()
}
