import WSKitContract

/// The decoder's own value, for types that decode from one value (wrappers, enums, `Optional`).
struct PayloadSingleValueContainer: SingleValueDecodingContainer {
    let decoder: PayloadDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.isPlaceholder || decoder.value.isNull }

    func decode(_ type: Bool.Type) throws -> Bool { decoder.decodePrimitive(type, from: decoder.value, at: nil) }
    func decode(_ type: String.Type) throws -> String { decoder.decodePrimitive(type, from: decoder.value, at: nil) }
    func decode(_ type: Double.Type) throws -> Double { decoder.decodePrimitive(type, from: decoder.value, at: nil) }
    func decode(_ type: Int.Type) throws -> Int { decoder.decodePrimitive(type, from: decoder.value, at: nil) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        // The same value at the same path: a wrapper's or an optional's value is its own key's.
        try decoder.decodeValue(type, from: decoder.value, at: nil)
    }
}
