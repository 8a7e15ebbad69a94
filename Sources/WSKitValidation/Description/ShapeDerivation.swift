import WSKitContract

extension PayloadShape {
    /// The shape of `type` as ``CodableValidator`` accepts it: the type is decoded once by a
    /// recording decoder (which sees every key and nested type its `init(from:)` asks for, and
    /// whether it asks with `decode` or `decodeIfPresent`), and the constraints its property
    /// wrappers declare are taken from the validator's own constraint table (keyed by property
    /// name, as the validator keys them).
    ///
    /// Types whose structure cannot be derived this way (an `init(from:)` that rejects every
    /// placeholder value, a type nested in itself) are described as ``Kind/any``.
    public static func of<T: Decodable>(_ type: T.Type) -> PayloadShape {
        var derivation = ShapeDerivation()
        return derivation.describe(T.self).shape
    }
}

/// The recursive walk behind ``PayloadShape/of(_:)``: for every type met, its shape and a
/// placeholder instance (the value the recording decoder hands to the type's initialiser).
struct ShapeDerivation {
    /// Types being described (a type nested in itself is described as `any` at the inner use).
    var building: [ObjectIdentifier] = []

    mutating func describe<T: Decodable>(_ type: T.Type) -> (shape: PayloadShape, placeholder: T?) {
        if let leaf = T.self as? any ShapeLeaf.Type {
            return (leaf.leafShape, leaf.leafPlaceholder as? T)
        }
        if let container = T.self as? any ShapeContainer.Type {
            let (shape, placeholder) = container.containerShape(&self)
            return (shape, placeholder as? T)
        }
        if let wrapper = T.self as? any ConstraintWrapper.Type {
            let (shape, placeholder) = describeWrapper(wrapper)
            return (shape, placeholder as? T)
        }
        if let enumeration = T.self as? any (CaseIterable & RawRepresentable).Type,
            let (shape, placeholder) = Self.describeEnumeration(enumeration)
        {
            return (shape, placeholder as? T)
        }
        let id = ObjectIdentifier(T.self)
        if building.contains(id) { return (PayloadShape(.any), nil) }
        building.append(id)
        defer { building.removeLast() }
        let table = TypeFactsCache.facts(for: T.self).constraints
        let recorder = ShapeRecorder(derivation: self, table: table)
        let decoded: T
        do {
            decoded = try T(from: ShapeDecoder(recorder: recorder))
        } catch {
            return (PayloadShape(.any, typeName: String(describing: T.self)), nil)
        }
        self = recorder.derivation
        var shape = recorder.shape
        shape.typeName = String(describing: T.self)
        return (shape, decoded)
    }

    private mutating func describeWrapper<W: ConstraintWrapper>(_ type: W.Type) -> (PayloadShape, W?) {
        let (shape, value) = describe(W.Value.self)
        return (shape, value.map { W(wrappedValue: $0) })
    }

    private static func describeEnumeration<E: CaseIterable & RawRepresentable>(_ type: E.Type) -> (PayloadShape, E)? {
        let cases = Array(E.allCases)
        guard let first = cases.first else { return nil }
        var values: [JSONValue] = []
        var base = PayloadShape.Kind.string
        for item in cases {
            switch item.rawValue {
            case let string as String: values.append(.string(string))
            case let integer as Int:
                values.append(.number(Double(integer)))
                base = .integer
            default: return nil
            }
        }
        return (PayloadShape(base, constraints: [.oneOf(values)], typeName: String(describing: E.self)), first)
    }
}

/// A type whose shape is fixed (strings, numbers, booleans, `JSONValue`, `Empty`).
protocol ShapeLeaf {
    static var leafShape: PayloadShape { get }
    static var leafPlaceholder: Any { get }
}

/// A generic container whose shape is built from its element's (optionals, arrays, sets,
/// dictionaries).
protocol ShapeContainer {
    static func containerShape(_ derivation: inout ShapeDerivation) -> (PayloadShape, Any)
}

extension String: ShapeLeaf {
    static var leafShape: PayloadShape { PayloadShape(.string) }
    static var leafPlaceholder: Any { "" }
}

extension Bool: ShapeLeaf {
    static var leafShape: PayloadShape { PayloadShape(.boolean) }
    static var leafPlaceholder: Any { false }
}

extension Double: ShapeLeaf {
    static var leafShape: PayloadShape { PayloadShape(.number) }
    static var leafPlaceholder: Any { 0.0 }
}

extension Float: ShapeLeaf {
    static var leafShape: PayloadShape { PayloadShape(.number) }
    static var leafPlaceholder: Any { Float(0) }
}

extension JSONValue: ShapeLeaf {
    static var leafShape: PayloadShape { PayloadShape(.any) }
    static var leafPlaceholder: Any { JSONValue.null }
}

extension Empty: ShapeLeaf {
    static var leafShape: PayloadShape { .empty }
    static var leafPlaceholder: Any { Empty() }
}

/// Integer types: `integer`, with the type's range when it is narrower than what JSON numbers
/// hold exactly (the validator rejects values outside it).
protocol IntegerShapeLeaf: ShapeLeaf, FixedWidthInteger {}

extension IntegerShapeLeaf {
    static var leafShape: PayloadShape {
        let exact = 9_007_199_254_740_991.0
        let low = Swift.max(Double(Self.min), -exact)
        let high = Swift.min(Double(Self.max), exact)
        var constraints: [Constraint] = []
        if low > -exact || high < exact {
            constraints.append(.range(Bounds(min: low > -exact ? low : nil, max: high < exact ? high : nil)))
        }
        return PayloadShape(.integer, constraints: constraints)
    }
    static var leafPlaceholder: Any { Self.zero }
}

extension Int: IntegerShapeLeaf {}
extension Int8: IntegerShapeLeaf {}
extension Int16: IntegerShapeLeaf {}
extension Int32: IntegerShapeLeaf {}
extension Int64: IntegerShapeLeaf {}
extension UInt: IntegerShapeLeaf {}
extension UInt8: IntegerShapeLeaf {}
extension UInt16: IntegerShapeLeaf {}
extension UInt32: IntegerShapeLeaf {}
extension UInt64: IntegerShapeLeaf {}

extension Optional: ShapeContainer where Wrapped: Decodable {
    static func containerShape(_ derivation: inout ShapeDerivation) -> (PayloadShape, Any) {
        let inner = derivation.describe(Wrapped.self).shape
        if case .optional = inner.kind { return (inner, Wrapped?.none as Any) }
        return (PayloadShape(.optional(inner)), Wrapped?.none as Any)
    }
}

extension Array: ShapeContainer where Element: Decodable {
    static func containerShape(_ derivation: inout ShapeDerivation) -> (PayloadShape, Any) {
        (PayloadShape(.array(derivation.describe(Element.self).shape)), [Element]())
    }
}

extension Set: ShapeContainer where Element: Decodable {
    static func containerShape(_ derivation: inout ShapeDerivation) -> (PayloadShape, Any) {
        (PayloadShape(.array(derivation.describe(Element.self).shape)), Set<Element>())
    }
}

extension Dictionary: ShapeContainer where Key == String, Value: Decodable {
    static func containerShape(_ derivation: inout ShapeDerivation) -> (PayloadShape, Any) {
        (PayloadShape(.dictionary(derivation.describe(Value.self).shape)), [String: Value]())
    }
}
