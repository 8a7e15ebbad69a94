import WSKitContract

/// The string must have a length (in characters) within the bounds: `@Length(1...2000) var text: String`.
///
/// Applies to `String` and `String?` (`nil` and absent keys pass). Optionally combined with a
/// pattern: `@Length(3...20, pattern: "^[a-z0-9_]+$")`.
@propertyWrapper
public struct Length<Value: Codable & Sendable>: ConstraintWrapper, ConstraintCarrier {
    /// The value.
    public var wrappedValue: Value
    // The attribute's arguments, kept as plain values: Swift evaluates them every time the type
    // is initialised (`init(from:)` included), so they must cost no allocation or compilation.
    @usableFromInline let bounds: Bounds<Int>?
    @usableFromInline let patternSource: String?

    /// Wraps a decoded value (no constraints; the validator reads them from the prototype).
    public init(wrappedValue: Value) {
        self.wrappedValue = wrappedValue
        bounds = nil
        patternSource = nil
    }

    /// The constraints declared in the attribute.
    public var declaredConstraints: [Constraint] {
        (bounds.map { [.length($0)] } ?? []) + (patternSource.map { [.pattern($0)] } ?? [])
    }

    /// `@Length(1...2000) var text: String = "hello"`.
    @inlinable
    public init(wrappedValue: Value, _ bounds: some BoundsExpression<Int>, pattern: String? = nil) where Value: StringConstrainable {
        self.wrappedValue = wrappedValue
        let resolved = bounds.bounds
        self.bounds = resolved
        patternSource = pattern
        if ConstraintCapture.isActive { ConstraintCapture.declare(length: resolved, pattern: pattern) }
    }

    /// `@Length(1...2000) var text: String` (starts empty).
    @inlinable
    public init(_ bounds: some BoundsExpression<Int>, pattern: String? = nil) where Value: StringConstrainable {
        self.init(wrappedValue: .prototypeValue, bounds, pattern: pattern)
    }
}

extension Length: Equatable where Value: Equatable {
    /// Compares the wrapped values only.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.wrappedValue == rhs.wrappedValue }
}

extension Length: Hashable where Value: Hashable {
    /// Hashes the wrapped value only.
    public func hash(into hasher: inout Hasher) { hasher.combine(wrappedValue) }
}
