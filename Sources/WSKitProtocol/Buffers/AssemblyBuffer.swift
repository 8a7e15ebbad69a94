/// Growable byte storage for inbound data that cannot be delivered in place: frames split across
/// reads, fragmented messages, decoded extension output.
///
/// Unlike `[UInt8]`, its bytes have a documented, stable address: `bytes` stays valid until the
/// buffer is next mutated, which is what lets the engine hand out borrowed payload views. It is
/// copy-on-write, so copying an engine stays a value copy.
struct AssemblyBuffer: Sendable {
    /// The heap block; mutated only while uniquely referenced, hence `@unchecked Sendable`.
    final class Storage: @unchecked Sendable {
        var base: UnsafeMutableRawPointer?
        var count = 0
        var capacity = 0

        init() {}

        init(copying other: Storage) {
            if other.count > 0, let source = other.base {
                let block = UnsafeMutableRawPointer.allocate(byteCount: other.count, alignment: 16)
                block.copyMemory(from: source, byteCount: other.count)
                base = block
                count = other.count
                capacity = other.count
            }
        }

        deinit { base?.deallocate() }
    }

    private var storage = Storage()

    init() {}

    /// The number of bytes held.
    var count: Int { storage.count }

    /// The bytes held; valid until the next mutation.
    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage.base, count: storage.count)
    }

    /// The bytes the current block can hold.
    var capacity: Int { storage.capacity }

    /// Appends `count` bytes and returns them for the caller to fill (or transform in place);
    /// the view is valid until the next mutation.
    ///
    /// Growth doubles the block, but never past `growthLimit` (the most the buffer will ever need
    /// to hold, such as the message size limit) unless `count` itself requires it.
    mutating func appendUninitialized(_ count: Int, growthLimit: Int = .max) -> UnsafeMutableRawBufferPointer {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(copying: storage) }
        let s = storage
        let needed = s.count + count
        if needed > s.capacity {
            let newCapacity = max(needed, min(max(s.capacity * 2, 256), growthLimit))
            let block = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
            if let old = s.base {
                block.copyMemory(from: old, byteCount: s.count)
                old.deallocate()
            }
            s.base = block
            s.capacity = newCapacity
        }
        let region = UnsafeMutableRawBufferPointer(start: s.base! + s.count, count: count)
        s.count = needed
        return region
    }

    /// Appends a copy of `bytes`; see `appendUninitialized` for `growthLimit`.
    mutating func append(_ bytes: UnsafeRawBufferPointer, growthLimit: Int = .max) {
        guard bytes.count > 0 else { return }
        appendUninitialized(bytes.count, growthLimit: growthLimit).copyMemory(from: bytes)
    }

    /// Drops the bytes past `count` (which must not exceed the current count), keeping the block.
    mutating func truncate(to count: Int) {
        precondition(count >= 0 && count <= storage.count, "truncate beyond the end")
        if count == storage.count { return }
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(copying: storage) }
        storage.count = count
    }

    /// Replaces the contents with a copy of `bytes`.
    mutating func replace(with bytes: UnsafeRawBufferPointer) {
        removeAll(retainingCapacity: .max)
        append(bytes)
    }

    /// Empties the buffer, freeing the block if its capacity exceeds `retainingCapacity` so a large
    /// message does not pin memory on an idle connection.
    mutating func removeAll(retainingCapacity: Int) {
        guard isKnownUniquelyReferenced(&storage) else {
            storage = Storage()
            return
        }
        storage.count = 0
        if storage.capacity > retainingCapacity, let base = storage.base {
            base.deallocate()
            storage.base = nil
            storage.capacity = 0
        }
    }
}
