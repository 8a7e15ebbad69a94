/// A growable buffer of outbound bytes, appended at the back and consumed from the front.
///
/// The server keeps one per connection and appends every frame of a loop iteration to it, then
/// writes it with one `write(2)`; a partial write consumes only what the kernel took. Pub/sub
/// encodes a frame once and appends the same bytes to each subscriber's buffer.
public struct OutputBuffer: Sendable {
    @usableFromInline var storage: [UInt8]
    @usableFromInline var readIndex: Int

    /// Creates an empty buffer, optionally reserving `capacity` bytes.
    @inlinable
    public init(capacity: Int = 0) {
        storage = []
        if capacity > 0 { storage.reserveCapacity(capacity) }
        readIndex = 0
    }

    /// The number of bytes not yet consumed.
    @inlinable public var count: Int { storage.count &- readIndex }

    /// Whether every appended byte has been consumed.
    @inlinable public var isEmpty: Bool { storage.count == readIndex }

    /// The bytes not yet consumed, as an array (a copy; meant for tests and diagnostics).
    public var bytes: [UInt8] { Array(storage[readIndex...]) }

    /// Appends one byte.
    @inlinable
    public mutating func append(_ byte: UInt8) { storage.append(byte) }

    /// Appends the bytes of a raw buffer.
    @inlinable
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        storage.append(contentsOf: bytes)
    }

    /// Appends a sequence of bytes.
    @inlinable
    public mutating func append<S: Sequence>(contentsOf bytes: S) where S.Element == UInt8 {
        storage.append(contentsOf: bytes)
    }

    /// Appends the UTF-8 bytes of a string.
    @inlinable
    public mutating func append(utf8 string: String) {
        var string = string
        string.withUTF8 { storage.append(contentsOf: UnsafeRawBufferPointer($0)) }
    }

    /// Appends `count` bytes written by `body` directly into the buffer's storage.
    ///
    /// `body` receives exactly `count` writable bytes (zero-initialised) and must fill them.
    @inlinable
    public mutating func appendWithUnsafeBytes(count: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        let start = storage.count
        storage.append(contentsOf: repeatElement(0, count: count))
        try storage.withUnsafeMutableBytes { all in
            try body(UnsafeMutableRawBufferPointer(rebasing: all[start ..< start + count]))
        }
    }

    /// Mutates already-appended bytes in place; `range` is relative to the unconsumed bytes.
    @inlinable
    public mutating func withUnsafeMutableBytes<R>(in range: Range<Int>, _ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "range out of bounds")
        let base = readIndex
        return try storage.withUnsafeMutableBytes { all in
            try body(UnsafeMutableRawBufferPointer(rebasing: all[base + range.lowerBound ..< base + range.upperBound]))
        }
    }

    /// Calls `body` with the unconsumed bytes.
    @inlinable
    public func withUnsafeReadableBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let start = readIndex
        return try storage.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[start...]))
        }
    }

    /// Marks the first `n` unconsumed bytes as consumed (for example after a partial `write`).
    ///
    /// When everything is consumed the buffer resets, keeping its capacity unless it grew past
    /// `retainedCapacity`, so a burst does not pin memory on an idle connection.
    @inlinable
    public mutating func consume(_ n: Int, retainedCapacity: Int = 16 * 1024) {
        precondition(n >= 0 && n <= count, "consume beyond the end")
        readIndex &+= n
        if readIndex == storage.count {
            if storage.capacity > retainedCapacity {
                storage = []
            } else {
                storage.removeAll(keepingCapacity: true)
            }
            readIndex = 0
        } else if readIndex >= 64 * 1024 && readIndex >= storage.count / 2 {
            storage.removeFirst(readIndex)
            readIndex = 0
        }
    }

    /// Drops every byte; frees the storage unless `keepingCapacity`.
    @inlinable
    public mutating func removeAll(keepingCapacity: Bool = false) {
        storage.removeAll(keepingCapacity: keepingCapacity)
        readIndex = 0
    }
}
