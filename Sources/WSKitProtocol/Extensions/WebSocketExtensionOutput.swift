/// Where an extension writes a message it decodes incrementally (see
/// `WebSocketExtension.decode(fragment:isLast:opcode:rsv:maxSize:into:)`).
///
/// The bytes live in one growable block with a stable address, so the engine delivers the decoded
/// message in place, without a copy. Growth doubles the block but never past the `growthLimit`
/// the writer passes (the message size limit), so a decoder that stops at the limit never makes
/// the block larger than the limit allows.
public struct WebSocketExtensionOutput: Sendable {
    var buffer = AssemblyBuffer()

    /// Creates an empty output.
    public init() {}

    /// The number of bytes written so far for the current message.
    public var count: Int { buffer.count }

    /// The bytes written so far; valid until the next mutation.
    public var bytes: UnsafeRawBufferPointer { buffer.bytes }

    /// Appends a copy of `bytes`.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(bytes)
    }

    /// Lends `body` writable space past the end: at least `minimumCapacity` bytes, or all the
    /// block's unused capacity when that is larger. `body` returns how many bytes it wrote from
    /// the start of the space (at most its size); only those are kept, also when `body` throws.
    ///
    /// The block grows (doubling) only when its unused capacity is below `minimumCapacity`, and
    /// then not past `growthLimit` bytes in total unless `minimumCapacity` itself requires it.
    public mutating func withUnusedCapacity<E: Error>(
        minimumCapacity: Int,
        growthLimit: Int = .max,
        _ body: (UnsafeMutableRawBufferPointer) throws(E) -> Int
    ) throws(E) {
        let start = buffer.count
        let size = max(minimumCapacity, buffer.capacity - start)
        let region = buffer.appendUninitialized(size, growthLimit: growthLimit)
        var written = 0
        defer { buffer.truncate(to: start + min(max(written, 0), size)) }
        written = try body(region)
    }

    /// Empties the output, freeing its block if larger than `retainingCapacity`.
    mutating func removeAll(retainingCapacity: Int) {
        buffer.removeAll(retainingCapacity: retainingCapacity)
    }
}
