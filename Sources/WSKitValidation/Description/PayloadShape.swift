import WSKitContract

/// The structure of a payload as its validator accepts it: JSON types, object fields (required or
/// optional), arrays, dictionaries, enumerations and the constraints declared next to the Swift
/// types. Built from the types themselves (``PayloadShape/of(_:)``) or from a ``Schema``; the
/// source of generated JSON Schemas, AsyncAPI documents and TypeScript declarations.
public struct PayloadShape: Sendable, Hashable {
    /// The JSON structure.
    public indirect enum Kind: Sendable, Hashable {
        /// Any string.
        case string
        /// A number without fraction.
        case integer
        /// Any finite number.
        case number
        /// `true` or `false`.
        case boolean
        /// `null`.
        case null
        /// Any JSON value (a type whose structure could not be derived, or `JSONValue`).
        case any
        /// An array of elements of one shape.
        case array(PayloadShape)
        /// An object with these fields; `strict` objects reject other keys.
        case object(fields: [Field], strict: Bool)
        /// An object with any keys, values of one shape.
        case dictionary(PayloadShape)
        /// A shape, `null` or (as an object field) a missing key.
        case optional(PayloadShape)
        /// Exactly this value.
        case literal(JSONValue)
    }

    /// One field of an object.
    public struct Field: Sendable, Hashable {
        /// The key on the wire.
        public var name: String
        /// The value's shape (``Kind/optional(_:)`` when the key may be missing).
        public var shape: PayloadShape
        /// Creates a field.
        public init(name: String, shape: PayloadShape) {
            self.name = name
            self.shape = shape
        }
        /// Whether the key must be present.
        public var isRequired: Bool {
            if case .optional = shape.kind { return false }
            return true
        }
    }

    /// The structure.
    public var kind: Kind
    /// Constraints checked after the type check.
    public var constraints: [Constraint]
    /// The Swift type it was derived from, when known (`"ChatMessage.Payload"`).
    public var typeName: String?

    /// Creates a shape.
    public init(_ kind: Kind, constraints: [Constraint] = [], typeName: String? = nil) {
        self.kind = kind
        self.constraints = constraints
        self.typeName = typeName
    }

    /// The shape of an object with no fields (`Empty`).
    ///
    /// Made on each use rather than stored: a ``Kind`` keeps its payload in a box whose pointer
    /// carries the case in spare bits, which LeakSanitizer does not recognise, so a stored static
    /// is reported as leaked at every sanitized exit (ADR 0097, docs/reliability.md).
    public static var empty: PayloadShape { PayloadShape(.object(fields: [], strict: true), typeName: "Empty") }

    /// The same shape with `constraints` added; on an optional, they go to the wrapped shape.
    public func adding(_ extra: [Constraint]) -> PayloadShape {
        guard !extra.isEmpty else { return self }
        var copy = self
        if case .optional(let wrapped) = kind {
            copy.kind = .optional(wrapped.adding(extra))
        } else {
            copy.constraints += extra
        }
        return copy
    }
}
