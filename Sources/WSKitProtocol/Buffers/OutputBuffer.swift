/// A growable buffer of outbound bytes, appended at the back and consumed from the front.
///
/// The server keeps one per connection and appends every frame of a loop iteration to it, then
/// writes it with one `write(2)`; a partial write consumes only what the kernel took. Pub/sub
/// encodes a frame once and appends the same bytes to each subscriber's buffer.
///
/// Storage is one raw allocation, created on first append and kept while it is small, so a
/// steady stream of messages appends with a bounds check and a `memcpy` — no allocation, no
/// generic collection machinery. It is a value type: copies share storage until one mutates.
public struct OutputBuffer: Sendable {
    @usableFromInline
    final class Storage: @unchecked Sendable {
        @usableFromInline let bytes: UnsafeMutableRawPointer
        @usableFromInline let capacity: Int

        @usableFromInline
        init(capacity: Int) {
            self.capacity = capacity
            bytes = .allocate(byteCount: capacity, alignment: 16)
        }

        deinit { bytes.deallocate() }
    }

    @usableFromInline var storage: Storage?
    @usableFromInline var readIndex: Int = 0
    @usableFromInline var writeIndex: Int = 0

    /// Creates an empty buffer, optionally reserving `capacity` bytes.
    @inlinable
    public init(capacity: Int = 0) {
        if capacity > 0 { storage = Storage(capacity: capacity) }
    }

    /// The number of bytes not yet consumed.
    @inlinable public var count: Int { writeIndex &- readIndex }

    /// Whether every appended byte has been consumed.
    @inlinable public var isEmpty: Bool { writeIndex == readIndex }

    /// The bytes the storage can hold without growing (0 when no storage is allocated).
    @inlinable public var capacity: Int { storage?.capacity ?? 0 }

    /// The bytes not yet consumed, as an array (a copy; meant for tests and diagnostics).
    public var bytes: [UInt8] { withUnsafeReadableBytes { Array($0) } }

    /// Reserves `n` bytes at the end and returns where to write them. The pointer is valid until
    /// the next mutation of the buffer; the bytes count as appended.
    @inlinable @inline(__always)
    public mutating func unsafeAppendPointer(count n: Int) -> UnsafeMutableRawPointer {
        if isKnownUniquelyReferenced(&storage), writeIndex &+ n <= storage.unsafelyUnwrapped.capacity {
            let pointer = storage.unsafelyUnwrapped.bytes + writeIndex
            writeIndex &+= n
            return pointer
        }
        return growAndAppend(n)
    }

    @usableFromInline
    mutating func growAndAppend(_ n: Int) -> UnsafeMutableRawPointer {
        let live = count
        let needed = live + n
        if isKnownUniquelyReferenced(&storage), storage.unsafelyUnwrapped.capacity >= needed {
            // Enough room once the consumed prefix is dropped.
            let bytes = storage.unsafelyUnwrapped.bytes
            if readIndex > 0 { bytes.copyMemory(from: bytes + readIndex, byteCount: live) }
        } else {
            var capacity = max(256, self.capacity)
            while capacity < needed { capacity &*= 2 }
            let fresh = Storage(capacity: capacity)
            if let storage, live > 0 { fresh.bytes.copyMemory(from: storage.bytes + readIndex, byteCount: live) }
            storage = fresh
        }
        readIndex = 0
        writeIndex = needed
        return storage!.bytes + live
    }

    /// Appends one byte.
    @inlinable
    public mutating func append(_ byte: UInt8) {
        unsafeAppendPointer(count: 1).storeBytes(of: byte, as: UInt8.self)
    }

    /// Appends the bytes of a raw buffer.
    @inlinable
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        unsafeAppendPointer(count: bytes.count).copyMemory(from: base, byteCount: bytes.count)
    }

    /// Appends a sequence of bytes.
    @inlinable
    public mutating func append<S: Sequence>(contentsOf bytes: S) where S.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { append(UnsafeRawBufferPointer($0)) }
        if done == nil { Array(bytes).withUnsafeBytes { append($0) } }
    }

    /// Appends the UTF-8 bytes of a string.
    @inlinable
    public mutating func append(utf8 string: String) {
        var string = string
        string.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Appends `count` bytes written by `body` directly into the buffer's storage.
    ///
    /// `body` receives exactly `count` writable bytes (zero-initialised) and must fill them.
    @inlinable
    public mutating func appendWithUnsafeBytes(count: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        guard count > 0 else { return }
        let pointer = unsafeAppendPointer(count: count)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: count)
        try body(UnsafeMutableRawBufferPointer(start: pointer, count: count))
    }

    /// Mutates already-appended bytes in place; `range` is relative to the unconsumed bytes.
    @inlinable
    public mutating func withUnsafeMutableBytes<R>(in range: Range<Int>, _ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "range out of bounds")
        guard storage != nil else { return try body(UnsafeMutableRawBufferPointer(start: nil, count: 0)) }
        if !isKnownUniquelyReferenced(&storage) {
            let storage = self.storage!
            let live = count
            let fresh = Storage(capacity: storage.capacity)
            fresh.bytes.copyMemory(from: storage.bytes + readIndex, byteCount: live)
            self.storage = fresh
            readIndex = 0
            writeIndex = live
        }
        return try body(UnsafeMutableRawBufferPointer(start: self.storage!.bytes + readIndex + range.lowerBound, count: range.count))
    }

    /// Calls `body` with the unconsumed bytes.
    @inlinable
    public func withUnsafeReadableBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard let storage else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeRawBufferPointer(start: storage.bytes + readIndex, count: count))
    }

    /// Marks the first `n` unconsumed bytes as consumed (for example after a partial `write`).
    ///
    /// When everything is consumed the buffer resets, keeping its storage unless it grew past
    /// `retainedCapacity`, so a burst does not pin memory on an idle connection.
    @inlinable
    public mutating func consume(_ n: Int, retainedCapacity: Int = 16 * 1024) {
        precondition(n >= 0 && n <= count, "consume beyond the end")
        readIndex &+= n
        if readIndex == writeIndex {
            readIndex = 0
            writeIndex = 0
            if capacity > retainedCapacity { storage = nil }
        }
    }

    /// Drops every byte; frees the storage unless `keepingCapacity`.
    @inlinable
    public mutating func removeAll(keepingCapacity: Bool = false) {
        readIndex = 0
        writeIndex = 0
        if !keepingCapacity { storage = nil }
    }
}
