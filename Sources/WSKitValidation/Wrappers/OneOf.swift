import WSKitContract

/// The value must be one of a fixed set: `@OneOf(["asc", "desc"]) var order: String`.
///
/// For strings, `String?` (`nil` passes) and, with ``JSONValue`` options, any JSON value
/// (`@OneOf([1, 2, 4]) var size: Int`). For a closed set in Swift itself, a `CaseIterable`
/// string enum gives the same issue.
@propertyWrapper
public struct OneOf<Value: Codable & Sendable>: ConstraintWrapper, ConstraintCarrier {
    /// The value.
    public var wrappedValue: Value
    // The attribute's argument, kept as given (evaluated on every initialisation).
    @usableFromInline let options: [JSONValue]?
    @usableFromInline let stringOptions: [String]?

    /// Wraps a decoded value (no constraints; the validator reads them from the prototype).
    public init(wrappedValue: Value) {
        self.wrappedValue = wrappedValue
        options = nil
        stringOptions = nil
    }

    /// The constraints declared in the attribute.
    public var declaredConstraints: [Constraint] {
        if let stringOptions { return [.oneOf(stringOptions)] }
        return options.map { [.oneOf($0)] } ?? []
    }

    /// `@OneOf(["asc", "desc"]) var order: String = "asc"`.
    @inlinable
    public init(wrappedValue: Value, _ options: [String]) where Value: StringConstrainable {
        self.wrappedValue = wrappedValue
        stringOptions = options
        self.options = nil
        if ConstraintCapture.isActive { ConstraintCapture.declare(oneOf: options) }
    }

    /// `@OneOf([1, 2, 4]) var size: Int = 1`.
    @inlinable
    public init(wrappedValue: Value, _ options: [JSONValue]) {
        self.wrappedValue = wrappedValue
        self.options = options
        stringOptions = nil
        if ConstraintCapture.isActive { ConstraintCapture.declare(oneOf: options) }
    }

    /// `@OneOf(["asc", "desc"]) var order: String` (starts empty).
    @inlinable
    public init(_ options: [String]) where Value: StringConstrainable {
        self.init(wrappedValue: .prototypeValue, options)
    }

    /// `@OneOf([1, 2, 4]) var size: Int` (starts at the type default).
    @inlinable
    public init(_ options: [JSONValue]) where Value: PrototypeValue {
        self.init(wrappedValue: .prototypeValue, options)
    }
}

extension OneOf: Equatable where Value: Equatable {
    /// Compares the wrapped values only.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.wrappedValue == rhs.wrappedValue }
}

extension OneOf: Hashable where Value: Hashable {
    /// Hashes the wrapped value only.
    public func hash(into hasher: inout Hasher) { hasher.combine(wrappedValue) }
}
