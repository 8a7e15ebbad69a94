import Synchronization
import WSKitContract

/// What the decoder needs to know about a type, computed once per type: whether it takes the
/// fast path (and its conformance), and its constraint table — read off a default instance when
/// it is ``Validatable``, otherwise captured while decoding it from placeholders
/// (``ConstraintCapture``).
struct TypeFacts: @unchecked Sendable {
    // `@unchecked`: an existential metatype is immutable; it only lacks a formal `Sendable`.
    let fast: (any FastDecodable.Type)?
    let constraints: ConstraintTable?
}

/// The per-type cache of ``TypeFacts``.
///
/// Reads are lock-free: the facts live in an immutable snapshot (an open-addressing table keyed
/// by the type's metadata address, cheaper than hashing) published through an atomic pointer. Adding a type (once per type, on first use) copies the snapshot under a lock and
/// publishes the copy; superseded snapshots are deliberately never freed, so a reader can never
/// see one released under it (their number is bounded by the number of types decoded).
enum TypeFactsCache {
    /// An immutable open-addressing table from type identity to facts (linear probing; the
    /// capacity is a power of two at most half full).
    final class Snapshot: Sendable {
        let keys: [UInt]
        let values: [TypeFacts?]
        let mask: Int

        init(capacity: Int) {
            keys = Array(repeating: 0, count: capacity)
            values = Array(repeating: nil, count: capacity)
            mask = capacity - 1
        }

        init(keys: [UInt], values: [TypeFacts?]) {
            self.keys = keys
            self.values = values
            mask = keys.count - 1
        }

        var count: Int { values.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }

        @inline(__always)
        static func slot(_ key: UInt, _ mask: Int) -> Int {
            Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 29) & mask
        }

        @inline(__always)
        func find(_ key: UInt) -> TypeFacts? {
            var index = Self.slot(key, mask)
            while true {
                let candidate = keys[index]
                if candidate == key { return values[index] }
                if candidate == 0 { return nil }
                index = (index + 1) & mask
            }
        }

        func inserting(_ key: UInt, _ facts: TypeFacts) -> Snapshot {
            let live = count + 1
            var capacity = keys.count
            while live * 2 > capacity { capacity *= 2 }
            var newKeys = Array(repeating: UInt(0), count: capacity)
            var newValues = Array(repeating: TypeFacts?.none, count: capacity)
            func place(_ key: UInt, _ value: TypeFacts) {
                var index = Self.slot(key, capacity - 1)
                while newKeys[index] != 0 { index = (index + 1) & (capacity - 1) }
                newKeys[index] = key
                newValues[index] = value
            }
            for index in keys.indices where keys[index] != 0 { place(keys[index], values[index]!) }
            place(key, facts)
            return Snapshot(keys: newKeys, values: newValues)
        }
    }

    private static let current = Atomic<UInt>(UInt(bitPattern: Unmanaged.passRetained(Snapshot(capacity: 64)).toOpaque()))
    /// Serialises writers; holds every replaced snapshot. Readers load `current` without a lock
    /// and may still use a replaced snapshot, so none is ever freed (one per distinct type, a
    /// bounded set); keeping them here makes that retention explicit and visible to leak checkers.
    private static let writers = Mutex<[Snapshot]>([])

    private static var snapshot: Unmanaged<Snapshot> {
        Unmanaged<Snapshot>.fromOpaque(UnsafeRawPointer(bitPattern: current.load(ordering: .acquiring))!)
    }

    /// The facts of `type`.
    @inline(__always)
    static func facts<T>(for type: T.Type) -> TypeFacts {
        let key = UInt(bitPattern: ObjectIdentifier(type))
        if let facts = snapshot._withUnsafeGuaranteedRef({ $0.find(key) }) { return facts }
        return insert(type, key)
    }

    @inline(never)
    private static func insert<T>(_ type: T.Type, _ key: UInt) -> TypeFacts {
        let fast = type as? any FastDecodable.Type
        let constraints: ConstraintTable?
        if let validatable = type as? any Validatable.Type {
            constraints = buildTable(validatable)
        } else if fast == nil, let decodable = type as? any Decodable.Type {
            // A type nested in itself, met while it is being captured: no table for this use, and
            // nothing cached (the outer capture caches the real facts).
            if ConstraintCapture.isCapturing(type) { return TypeFacts(fast: nil, constraints: nil) }
            constraints = capturedTable(decodable)
        } else {
            constraints = nil
        }
        let facts = TypeFacts(fast: fast, constraints: constraints)
        writers.withLock { retired in
            let old = snapshot.takeUnretainedValue()
            guard old.find(key) == nil else { return }
            let next = Unmanaged.passRetained(old.inserting(key, facts))
            current.store(UInt(bitPattern: next.toOpaque()), ordering: .releasing)
            retired.append(old)
        }
        return facts
    }

    /// The constraints of a type that is not ``Validatable``, found by ``ConstraintCapture``.
    private static func capturedTable<D: Decodable>(_ type: D.Type) -> ConstraintTable? {
        ConstraintCapture.table(of: type, state: DecodingState(basePath: .payload))
    }

    private static func buildTable<V: Validatable>(_ type: V.Type) -> ConstraintTable {
        var entries: [(key: String, constraints: [Constraint])] = []
        for child in Mirror(reflecting: V()).children {
            guard let label = child.label, let carrier = child.value as? any ConstraintCarrier else { continue }
            let name = label.hasPrefix("_") ? String(label.dropFirst()) : label
            entries.append((name, carrier.declaredConstraints))
        }
        return ConstraintTable(entries: entries)
    }
}
