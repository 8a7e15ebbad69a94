/// Where a value sits in a message: `payload.items[3].name`.
///
/// Keys that are not plain identifiers are written in brackets and quotes
/// (`payload["first name"]`), so a description always reads back unambiguously.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    public enum Component: Sendable, Hashable {
        /// An object key.
        case key(String)
        /// An array index.
        case index(Int)
    }

    /// The steps, from the root.
    public var components: [Component]

    /// Creates a path from steps.
    @inlinable public init(_ components: [Component] = []) { self.components = components }

    /// The empty path (the value itself).
    public static let root = JSONPath()
    /// `payload`: where the router validates payloads.
    public static let payload = JSONPath([.key("payload")])
    /// `meta`.
    public static let meta = JSONPath([.key("meta")])

    /// Whether this is the root path.
    @inlinable public var isRoot: Bool { components.isEmpty }

    /// This path followed by an object key.
    @inlinable public func appending(key: String) -> JSONPath {
        var copy = self
        copy.components.append(.key(key))
        return copy
    }

    /// This path followed by an array index.
    @inlinable public func appending(index: Int) -> JSONPath {
        var copy = self
        copy.components.append(.index(index))
        return copy
    }

    /// This path followed by all steps of `other`.
    @inlinable public func appending(_ other: JSONPath) -> JSONPath {
        if other.components.isEmpty { return self }
        if components.isEmpty { return other }
        var copy = self
        copy.components.append(contentsOf: other.components)
        return copy
    }

    /// Dotted form: `payload.items[3].name`; the root is the empty string.
    public var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key):
                if Self.isIdentifier(key) {
                    if !text.isEmpty { text.append(".") }
                    text.append(key)
                } else {
                    text.append("[")
                    text.append(JSON.serialize(.string(key)))
                    text.append("]")
                }
            case .index(let index):
                text.append("[\(index)]")
            }
        }
        return text
    }

    static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "$"):
                continue
            default:
                return false
            }
        }
        return true
    }
}

extension JSONPath: ExpressibleByArrayLiteral {
    /// Creates a path from steps.
    public init(arrayLiteral elements: Component...) { self.init(elements) }
}

extension JSONPath.Component: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    /// A key step.
    public init(stringLiteral value: String) { self = .key(value) }
    /// An index step.
    public init(integerLiteral value: Int) { self = .index(value) }
}
