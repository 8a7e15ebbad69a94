import WSKitContract

/// The string must contain a match of a regular expression (Swift `Regex` syntax; anchor it with
/// `^…$` for a whole-string match): `@Pattern("^[a-z]+$") var slug: String`.
///
/// Applies to `String` and `String?` (`nil` and absent keys pass). A pattern that does not compile
/// traps when the prototype is built, like `try! Regex(…)`.
@propertyWrapper
public struct Pattern<Value: Codable & Sendable>: ConstraintWrapper, ConstraintCarrier {
    /// The value.
    public var wrappedValue: Value
    // The attribute's argument, kept as a plain string (evaluated on every initialisation; the
    // regular expression is compiled once, when the validator reads the prototype).
    @usableFromInline let source: String?

    /// Wraps a decoded value (no constraints; the validator reads them from the prototype).
    public init(wrappedValue: Value) {
        self.wrappedValue = wrappedValue
        source = nil
    }

    /// The constraints declared in the attribute.
    public var declaredConstraints: [Constraint] { source.map { [.pattern($0)] } ?? [] }

    /// `@Pattern("^[a-z]+$") var slug: String = "home"`.
    @inlinable
    public init(wrappedValue: Value, _ pattern: String) where Value: StringConstrainable {
        self.wrappedValue = wrappedValue
        source = pattern
        if ConstraintCapture.isActive { ConstraintCapture.declare(pattern: pattern) }
    }

    /// `@Pattern("^[a-z]+$") var slug: String` (starts empty).
    @inlinable
    public init(_ pattern: String) where Value: StringConstrainable {
        self.init(wrappedValue: .prototypeValue, pattern)
    }
}

extension Pattern: Equatable where Value: Equatable {
    /// Compares the wrapped values only.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.wrappedValue == rhs.wrappedValue }
}

extension Pattern: Hashable where Value: Hashable {
    /// Hashes the wrapped value only.
    public func hash(into hasher: inout Hasher) { hasher.combine(wrappedValue) }
}
