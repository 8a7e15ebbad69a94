import WSKitContract

/// The number must lie within the bounds, inclusive: `@InRange(1...500) var limit: Int?`.
///
/// Applies to integers, `Double`, `Float` and their optionals (`nil` and absent keys pass).
/// Named `InRange`, not `Range`, so as not to shadow `Swift.Range` in files that import WSKit.
@propertyWrapper
public struct InRange<Value: Codable & Sendable>: ConstraintWrapper, ConstraintCarrier {
    /// The value.
    public var wrappedValue: Value
    /// The constraints declared in the attribute.
    public let declaredConstraints: [Constraint]

    /// Wraps a decoded value (no constraints; the validator reads them from the prototype).
    public init(wrappedValue: Value) {
        self.wrappedValue = wrappedValue
        declaredConstraints = []
    }

    /// `@InRange(1...500) var limit: Int = 50`.
    public init(wrappedValue: Value, _ bounds: some BoundsExpression<Int>) where Value: NumberConstrainable {
        self.wrappedValue = wrappedValue
        declaredConstraints = [.range(bounds)]
    }

    /// `@InRange(0.0...1.0) var ratio: Double = 0.5`.
    public init(wrappedValue: Value, _ bounds: some BoundsExpression<Double>) where Value: NumberConstrainable {
        self.wrappedValue = wrappedValue
        declaredConstraints = [.range(bounds)]
    }

    /// `@InRange(1...500) var limit: Int?` (starts at `0` or `nil`).
    public init(_ bounds: some BoundsExpression<Int>) where Value: NumberConstrainable {
        self.init(wrappedValue: .prototypeValue, bounds)
    }

    /// `@InRange(0.0...1.0) var ratio: Double` (starts at `0` or `nil`).
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
