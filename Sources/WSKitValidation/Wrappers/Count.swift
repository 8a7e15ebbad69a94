import WSKitContract

/// The array must have an element count within the bounds: `@Count(1...50) var tags: [String]`.
///
/// Applies to arrays and optional arrays (`nil` and absent keys pass).
@propertyWrapper
public struct Count<Value: Codable & Sendable>: ConstraintWrapper, ConstraintCarrier {
    /// The value.
    public var wrappedValue: Value
    // The attribute's arguments, kept as plain values (evaluated on every initialisation).
    @usableFromInline let bounds: Bounds<Int>?

    /// Wraps a decoded value (no constraints; the validator reads them from the prototype).
    public init(wrappedValue: Value) {
        self.wrappedValue = wrappedValue
        bounds = nil
    }

    /// The constraints declared in the attribute.
    public var declaredConstraints: [Constraint] { bounds.map { [.count($0)] } ?? [] }

    /// `@Count(1...50) var tags: [String] = ["general"]`.
    @inlinable
    public init(wrappedValue: Value, _ bounds: some BoundsExpression<Int>) where Value: CollectionConstrainable {
        self.wrappedValue = wrappedValue
        let resolved = bounds.bounds
        self.bounds = resolved
        if ConstraintCapture.isActive { ConstraintCapture.declare(count: resolved) }
    }

    /// `@Count(1...50) var tags: [String]` (starts empty).
    @inlinable
    public init(_ bounds: some BoundsExpression<Int>) where Value: CollectionConstrainable {
        self.init(wrappedValue: .prototypeValue, bounds)
    }
}

extension Count: Equatable where Value: Equatable {
    /// Compares the wrapped values only.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.wrappedValue == rhs.wrappedValue }
}

extension Count: Hashable where Value: Hashable {
    /// Hashes the wrapped value only.
    public func hash(into hasher: inout Hasher) { hasher.combine(wrappedValue) }
}
