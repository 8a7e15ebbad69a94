import WSKitContract

/// Types the decoder converts straight from the wire value, without a child decoder: primitives,
/// `JSONValue`, optionals and the constraint wrappers. One dynamic cast picks this path.
protocol FastDecodable: Decodable {
    /// Decodes from `value`, the value at `component` below `decoder`.
    static func fastDecode(_ decoder: PayloadDecoder, _ value: JSONValue, _ component: JSONPath.Component?) throws -> Self
    /// A stand-in value for a parent to continue decoding with.
    static func fastPlaceholder(_ state: DecodingState) throws -> Self
}

extension PrimitiveDecodable {
    static func fastDecode(_ decoder: PayloadDecoder, _ value: JSONValue, _ component: JSONPath.Component?) throws -> Self {
        decoder.decodePrimitive(Self.self, from: value, at: component)
    }
    static func fastPlaceholder(_ state: DecodingState) throws -> Self { placeholder }
}

extension JSONValue: FastDecodable {
    static func fastDecode(_ decoder: PayloadDecoder, _ value: JSONValue, _ component: JSONPath.Component?) throws -> JSONValue {
        decoder.isPlaceholder ? .null : value
    }
    static func fastPlaceholder(_ state: DecodingState) throws -> JSONValue { .null }
}

extension Optional: FastDecodable where Wrapped: Decodable {
    static func fastDecode(_ decoder: PayloadDecoder, _ value: JSONValue, _ component: JSONPath.Component?) throws -> Wrapped? {
        if decoder.isPlaceholder || value.isNull { return nil }
        return try decoder.decodeValue(Wrapped.self, from: value, at: component)
    }
    static func fastPlaceholder(_ state: DecodingState) throws -> Wrapped? { nil }
}

extension FastDecodable where Self: ConstraintWrapper {
    static func fastDecode(_ decoder: PayloadDecoder, _ value: JSONValue, _ component: JSONPath.Component?) throws -> Self {
        let wrapped = try decoder.decodeValue(Value.self, from: value, at: component)
        decoder.decodedWrapper = true
        return Self(wrappedValue: wrapped)
    }
    static func fastPlaceholder(_ state: DecodingState) throws -> Self {
        Self(wrappedValue: try PayloadDecoder.placeholder(Value.self, state: state))
    }
}

extension Length: FastDecodable {}
extension InRange: FastDecodable {}
extension Pattern: FastDecodable {}
extension OneOf: FastDecodable {}
extension Count: FastDecodable {}

extension PayloadDecoder {
    func decodeFast<F: FastDecodable, T>(_ type: F.Type, as: T.Type, _ value: JSONValue, _ component: JSONPath.Component?) throws -> T {
        // `F` is `T` (its facts were looked up by `T`): reinterpret rather than cast dynamically.
        unsafeBitCast(try F.fastDecode(self, value, component), to: T.self)
    }

    static func placeholderFast<F: FastDecodable, T>(_ type: F.Type, as: T.Type, _ state: DecodingState) throws -> T {
        try F.fastPlaceholder(state) as! T
    }
}
