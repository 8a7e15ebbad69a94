/// A JSON object: key–value pairs in wire order, with unique keys. A random-access collection of
/// its pairs (`object[0]`), and a dictionary-like map by key (`object["type"]`).
///
/// Lookups scan the pairs linearly, which is the fastest layout for the small objects that
/// make up almost every message (a handful of keys). Equality and hashing ignore key order.
public struct JSONObject: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    /// One key–value pair.
    public typealias Element = (key: String, value: JSONValue)

    @usableFromInline var storage: [Element]

    /// Creates an empty object.
    @inlinable public init() { storage = [] }

    /// Creates an empty object with room for `minimumCapacity` pairs.
    @inlinable public init(minimumCapacity: Int) {
        storage = []
        storage.reserveCapacity(minimumCapacity)
    }

    /// Creates an object from pairs; a repeated key keeps its last value, at its first position.
    @inlinable public init(_ pairs: some Sequence<(String, JSONValue)>) {
        storage = []
        for (key, value) in pairs { self[key] = value }
    }

    /// Creates an object from a literal; a repeated key keeps its last value.
    @inlinable public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(minimumCapacity: elements.count)
        for (key, value) in elements { self[key] = value }
    }

    /// Wraps pairs whose keys are known to be unique (the parser has checked).
    @inlinable init(storage: [Element]) { self.storage = storage }

    /// Appends a pair without checking for a duplicate key (the parser has already checked).
    @inlinable mutating func appendUnchecked(_ key: String, _ value: JSONValue) {
        storage.append((key, value))
    }

    /// The number of pairs.
    @inlinable public var count: Int { storage.count }

    /// The position of the first pair.
    @inlinable public var startIndex: Int { 0 }

    /// One past the position of the last pair.
    @inlinable public var endIndex: Int { storage.count }

    /// The pair at `position`, in wire order.
    @inlinable public subscript(position: Int) -> Element { storage[position] }

    /// Whether the object has no pairs.
    @inlinable public var isEmpty: Bool { storage.isEmpty }

    /// The keys, in order.
    @inlinable public var keys: [String] { storage.map(\.key) }

    /// The values, in key order.
    @inlinable public var values: [JSONValue] { storage.map(\.value) }

    /// The position of `key`, if present.
    @inlinable public func index(forKey key: String) -> Int? {
        for index in storage.indices where storage[index].key == key { return index }
        return nil
    }

    /// Whether `key` is present.
    @inlinable public func contains(key: String) -> Bool { index(forKey: key) != nil }

    /// The value under `key`; setting `nil` removes the key, setting a value replaces it in place
    /// or appends it.
    @inlinable public subscript(key: String) -> JSONValue? {
        get {
            for pair in storage where pair.key == key { return pair.value }
            return nil
        }
        set {
            if let index = index(forKey: key) {
                if let newValue { storage[index].value = newValue } else { storage.remove(at: index) }
            } else if let newValue {
                storage.append((key, newValue))
            }
        }
    }

    /// Removes `key` and returns its value, if it was present.
    @inlinable @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let index = index(forKey: key) else { return nil }
        return storage.remove(at: index).value
    }

    /// Iterates the pairs in order.
    @inlinable public func makeIterator() -> IndexingIterator<[Element]> { storage.makeIterator() }

    /// Equal when both have the same keys with equal values, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.storage.count == rhs.storage.count else { return false }
        for (key, value) in lhs.storage {
            guard let other = rhs[key], other == value else { return false }
        }
        return true
    }

    /// Hashes the pairs independently of their order.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for (key, value) in storage {
            var pairHasher = Hasher()
            pairHasher.combine(key)
            pairHasher.combine(value)
            combined ^= pairHasher.finalize()
        }
        hasher.combine(storage.count)
        hasher.combine(combined)
    }
}

extension JSONObject: CustomStringConvertible {
    /// The compact JSON text of the object.
    public var description: String { JSON.serialize(.object(self)) }
}
