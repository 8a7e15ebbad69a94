import WSKitContract

/// What the constraint property wrappers have in common: they hold a value, carry the constraints
/// declared in their attribute, and encode and decode exactly as the bare value does.
///
/// Constraints are enforced by ``CodableValidator`` (through ``Validatable``); other decoders see
/// plain values.
public protocol ConstraintWrapper: Codable, Sendable {
    /// The wrapped value's type.
    associatedtype Value: Codable & Sendable
    /// The wrapped value.
    var wrappedValue: Value { get set }
    /// The constraints declared in the attribute (empty on decoded instances).
    var declaredConstraints: [Constraint] { get }
    /// Wraps a value with no constraints (what decoding produces).
    init(wrappedValue: Value)
}

extension ConstraintWrapper {
    /// Decodes the bare value.
    public init(from decoder: any Decoder) throws {
        self.init(wrappedValue: try decoder.singleValueContainer().decode(Value.self))
    }

    /// Encodes the bare value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

/// `Optional`, for constraint wrappers around optional values.
public protocol AnyOptional {
    /// `nil`.
    static var none: Self { get }
    /// Whether the value is `nil`.
    var isNone: Bool { get }
}

extension Optional: AnyOptional {
    /// Whether the value is `nil`.
    public var isNone: Bool { self == nil }
}

extension KeyedDecodingContainer {
    /// A constraint wrapper around an optional decodes a missing or `null` key as `nil` (what
    /// a bare optional property does), with any decoder.
    public func decode<W: ConstraintWrapper>(_ type: W.Type, forKey key: Key) throws -> W where W.Value: AnyOptional {
        try decodeIfPresent(type, forKey: key) ?? W(wrappedValue: .none)
    }
}

extension KeyedEncodingContainer {
    /// A constraint wrapper around `nil` is omitted (what a bare optional property does).
    public mutating func encode<W: ConstraintWrapper>(_ value: W, forKey key: Key) throws where W.Value: AnyOptional {
        if !value.wrappedValue.isNone { try encode(value.wrappedValue, forKey: key) }
    }
}
