/// An ordered list of HTTP header fields with case-insensitive name lookup (RFC 9110 §5).
///
/// Fields keep the order and spelling they were received or added in; a name may occur more than
/// once. Lookups compare names ASCII case-insensitively without allocating.
public struct HTTPHeaders: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    /// One header field.
    public struct Field: Sendable, Hashable {
        /// The field name as received or added.
        public var name: String
        /// The field value without leading or trailing whitespace.
        public var value: String

        /// Creates a field.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The fields in order.
    public private(set) var fields: [Field]

    /// Creates an empty header list.
    public init() { fields = [] }

    /// Creates a header list from name/value pairs, in order.
    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    /// Creates a header list from a literal such as `["Content-Type": "text/plain"]`, in order.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    init(fields: [Field]) { self.fields = fields }

    /// The number of fields.
    public var count: Int { fields.count }

    /// Whether there are no fields.
    public var isEmpty: Bool { fields.isEmpty }

    /// The value of the first field named `name` (case-insensitive), or `nil`.
    public subscript(name: String) -> String? {
        for field in fields where HTTPSyntax.equalsIgnoringASCIICase(field.name.utf8, name.utf8) {
            return field.value
        }
        return nil
    }

    /// The values of every field named `name` (case-insensitive), in order.
    public func values(for name: String) -> [String] {
        var result: [String] = []
        for field in fields where HTTPSyntax.equalsIgnoringASCIICase(field.name.utf8, name.utf8) {
            result.append(field.value)
        }
        return result
    }

    /// The number of fields named `name` (case-insensitive).
    public func count(of name: String) -> Int {
        var result = 0
        for field in fields where HTTPSyntax.equalsIgnoringASCIICase(field.name.utf8, name.utf8) {
            result &+= 1
        }
        return result
    }

    /// Whether a field named `name` exists (case-insensitive).
    public func contains(_ name: String) -> Bool { self[name] != nil }

    /// Whether any field named `name` holds `token` as one element of its comma-separated list,
    /// compared case-insensitively (for example `containsToken("upgrade", in: "Connection")` is
    /// true for `Connection: keep-alive, Upgrade`). Elements are trimmed of SP and HTAB.
    public func containsToken(_ token: String, in name: String) -> Bool {
        for field in fields where HTTPSyntax.equalsIgnoringASCIICase(field.name.utf8, name.utf8) {
            if HTTPHeaders.list(field.value, containsToken: token) { return true }
        }
        return false
    }

    /// Whether the comma-separated `list` holds `token` (ASCII case-insensitive).
    static func list(_ list: String, containsToken token: String) -> Bool {
        let bytes = list.utf8
        var start = bytes.startIndex
        while true {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: ",")) ?? bytes.endIndex
            var lower = start, upper = end
            while lower < upper, HTTPSyntax.isWhitespace(bytes[lower]) { lower = bytes.index(after: lower) }
            while upper > lower {
                let before = bytes.index(before: upper)
                guard HTTPSyntax.isWhitespace(bytes[before]) else { break }
                upper = before
            }
            if HTTPSyntax.equalsIgnoringASCIICase(bytes[lower ..< upper], token.utf8) { return true }
            if end == bytes.endIndex { return false }
            start = bytes.index(after: end)
        }
    }

    /// Appends a field (existing fields with the same name are kept).
    public mutating func add(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Appends every field of `other`.
    public mutating func add(contentsOf other: HTTPHeaders) {
        fields.append(contentsOf: other.fields)
    }

    /// Replaces every field named `name` (case-insensitive) by one field with `value`, at the
    /// position of the first one, or appends it.
    public mutating func replaceOrAdd(name: String, value: String) {
        if let index = fields.firstIndex(where: { HTTPSyntax.equalsIgnoringASCIICase($0.name.utf8, name.utf8) }) {
            fields[index].value = value
            var next = fields.index(after: index)
            while next < fields.endIndex {
                if HTTPSyntax.equalsIgnoringASCIICase(fields[next].name.utf8, name.utf8) {
                    fields.remove(at: next)
                } else {
                    next = fields.index(after: next)
                }
            }
        } else {
            add(name: name, value: value)
        }
    }

    /// Removes every field named `name` (case-insensitive).
    public mutating func remove(name: String) {
        fields.removeAll { HTTPSyntax.equalsIgnoringASCIICase($0.name.utf8, name.utf8) }
    }
}

extension HTTPHeaders: RandomAccessCollection {
    /// The position of the first field.
    public var startIndex: Int { fields.startIndex }
    /// The position after the last field.
    public var endIndex: Int { fields.endIndex }
    /// The field at `position`.
    public subscript(position: Int) -> Field { fields[position] }
}

extension HTTPHeaders: CustomStringConvertible {
    /// The fields as `Name: value` lines.
    public var description: String {
        fields.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
    }
}
