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
        if let primitive = type as? any PrimitiveDecodable.Type {
            return decoder.decodePrimitive(primitive, from: decoder.value, at: nil) as! T
        }
        if type == JSONValue.self { return (decoder.isPlaceholder ? JSONValue.null : decoder.value) as! T }
        if decoder.isPlaceholder { return try PayloadDecoder.placeholder(type, state: decoder.state) }
        // Same value, same path: decode in place (a wrapper's value is its own key's value).
        let inner = PayloadDecoder(value: decoder.value, parent: decoder, component: nil, state: decoder.state)
        inner.constraints = ConstraintTables.table(for: type)
        let issuesBefore = decoder.state.issues.count
        do {
            let decoded = try T(from: inner)
            inner.reportUnknownKeys()
            return decoded
        } catch is UnrecoverableDecoding {
        } catch {
            if decoder.state.issues.count == issuesBefore {
                inner.record(PayloadDecoder.issue(for: error, decoding: type, value: decoder.value, at: inner.path))
            }
        }
        return try PayloadDecoder.placeholder(type, state: decoder.state)
    }
}
