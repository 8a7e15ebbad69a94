/// Bounds the JSON parser enforces, so that hostile input costs bounded time and memory.
public struct JSONLimits: Sendable, Hashable {
    /// The largest input accepted, in bytes.
    public var maxBytes: Int
    /// The deepest nesting of arrays and objects accepted (the root container is depth 1).
    public var maxDepth: Int
    /// The longest string (key or value) accepted, in UTF-8 bytes after unescaping.
    public var maxStringBytes: Int
    /// The most elements of one array or pairs of one object accepted.
    public var maxContainerCount: Int

    /// Creates limits.
    public init(maxBytes: Int, maxDepth: Int, maxStringBytes: Int, maxContainerCount: Int) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.maxContainerCount = maxContainerCount
    }

    /// 1 MiB of input, depth 64, strings up to 1 MiB, 100 000 elements per container.
    public static let `default` = JSONLimits(
        maxBytes: 1 << 20, maxDepth: 64, maxStringBytes: 1 << 20, maxContainerCount: 100_000
    )

    /// No practical bound (for trusted input such as configuration or tests).
    public static let unlimited = JSONLimits(
        maxBytes: .max, maxDepth: 10_000, maxStringBytes: .max, maxContainerCount: .max
    )
}
