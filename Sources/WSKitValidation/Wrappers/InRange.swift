import WSKitContract

/// The number must lie within the bounds, inclusive: `@InRange(1...500) var limit: Int?`.
///
/// Applies to integers, `Double`, `Float` and their optionals (`nil` and absent keys pass).
/// Named `InRange`, not `Range`, so as not to shadow `Swift.Range` in files that import WSKit.
@propertyWrapper
public struct InRange<Value: Codable & Sendable>: ConstraintWrapper, ConstraintCarrier {
    /// The value.
    public var wrappedValue: Value
    // The attribute's arguments, kept as plain values (evaluated on every initialisation).
    @usableFromInline let bounds: Bounds<Double>?

    /// Wraps a decoded value (no constraints; the validator reads them from the prototype).
    public init(wrappedValue: Value) {
        self.wrappedValue = wrappedValue
        bounds = nil
    }

    /// The constraints declared in the attribute.
    public var declaredConstraints: [Constraint] { bounds.map { [.range($0)] } ?? [] }

    /// `@InRange(1...500) var limit: Int = 50`.
    @inlinable
    public init(wrappedValue: Value, _ bounds: some BoundsExpression<Int>) where Value: NumberConstrainable {
        self.wrappedValue = wrappedValue
        let integer = bounds.bounds
        let resolved = Bounds(min: integer.min.map(Double.init), max: integer.max.map(Double.init))
        self.bounds = resolved
        if ConstraintCapture.isActive { ConstraintCapture.declare(range: resolved) }
    }

    /// `@InRange(0.0...1.0) var ratio: Double = 0.5`.
    @inlinable
    public init(wrappedValue: Value, _ bounds: some BoundsExpression<Double>) where Value: NumberConstrainable {
        self.wrappedValue = wrappedValue
        let resolved = bounds.bounds
        self.bounds = resolved
        if ConstraintCapture.isActive { ConstraintCapture.declare(range: resolved) }
    }

    /// `@InRange(1...500) var limit: Int?` (starts at `0` or `nil`).
    @inlinable
    public init(_ bounds: some BoundsExpression<Int>) where Value: NumberConstrainable {
        self.init(wrappedValue: .prototypeValue, bounds)
    }

    /// `@InRange(0.0...1.0) var ratio: Double` (starts at `0` or `nil`).
    @inlinable
    public init(_ bounds: some BoundsExpression<Double>) where Value: NumberConstrainable {
        self.init(wrappedValue: .prototypeValue, bounds)
    }
}

extension InRange: Equatable where Value: Equatable {
    /// Compares the wrapped values only.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.wrappedValue == rhs.wrappedValue }
}

extension InRange: Hashable where Value: Hashable {
    /// Hashes the wrapped value only.
    public func hash(into hasher: inout Hasher) { hasher.combine(wrappedValue) }
}
