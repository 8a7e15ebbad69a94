import WSKitContract

/// Keyed access to an object: marks each key it reads (for the unknown-key check), reports missing
/// keys as `required`, and checks the constraints declared for each key.
struct PayloadKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: PayloadDecoder
    let object: JSONObject

    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] { object.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool {
        decoder.isPlaceholder ? false : object.contains(key: key.stringValue)
    }

    /// The value under `key`, marking it read, or `nil` when absent.
    @inline(__always)
    func lookup(_ key: Key) -> JSONValue? {
        let name = key.stringValue
        var index = 0
        for (candidate, value) in object {
            if candidate == name {
                decoder.markUsed(index)
                return value
            }
            index += 1
        }
        return nil
    }

    /// Checks the constraints declared for `key` against its wire value.
    @inline(__always)
    func checkConstraints(_ key: Key, _ value: JSONValue) {
        guard let table = decoder.constraints, let constraints = table[key.stringValue] else { return }
        if case .null = value { return }
        var issues: [ValidationIssue] = []
        for constraint in constraints {
            constraint.check(value, at: decoder.path(appending: .key(key.stringValue)), into: &issues)
        }
        for issue in issues { decoder.record(issue) }
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let value = lookup(key) else { return true }
        return value.isNull
    }

    func required<T: PrimitiveDecodable>(_ type: T.Type, _ key: Key) -> T {
        guard let value = lookup(key) else {
            if !decoder.isPlaceholder { decoder.record(Issues.required(decoder.path(appending: .key(key.stringValue)))) }
            return T.placeholder
        }
        let decoded = decoder.decodePrimitive(type, from: value, at: .key(key.stringValue))
        checkConstraints(key, value)
        return decoded
    }

    func optional<T: PrimitiveDecodable>(_ type: T.Type, _ key: Key) -> T? {
        guard let value = lookup(key), !value.isNull else { return nil }
        let decoded = decoder.decodePrimitive(type, from: value, at: .key(key.stringValue))
        checkConstraints(key, value)
        return decoded
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { required(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { required(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { required(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { required(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { required(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { required(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { required(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { required(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { required(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { required(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { required(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { required(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { required(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { required(type, key) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let value = lookup(key) else {
            if decoder.isPlaceholder { return try PayloadDecoder.placeholder(type, state: decoder.state) }
            decoder.record(Issues.required(decoder.path(appending: .key(key.stringValue))))
            return try PayloadDecoder.placeholder(type, state: decoder.state)
        }
        let decoded = try decoder.decodeValue(type, from: value, at: .key(key.stringValue))
        checkConstraints(key, value)
        return decoded
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { optional(type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { optional(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { optional(type, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { optional(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { optional(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { optional(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { optional(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { optional(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { optional(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { optional(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { optional(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { optional(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { optional(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { optional(type, key) }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = lookup(key), !value.isNull else { return nil }
        let decoded = try decoder.decodeValue(type, from: value, at: .key(key.stringValue))
        checkConstraints(key, value)
        return decoded
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try child(for: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(for: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        PayloadDecoder(value: .object(object), parent: decoder, component: nil, state: decoder.state,
                       isPlaceholder: decoder.isPlaceholder)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { child(for: key) }

    func child(for key: Key) -> PayloadDecoder {
        guard let value = lookup(key) else {
            if !decoder.isPlaceholder { decoder.record(Issues.required(decoder.path(appending: .key(key.stringValue)))) }
            return decoder.placeholderChild()
        }
        return PayloadDecoder(value: value, parent: decoder, component: .key(key.stringValue), state: decoder.state,
                              isPlaceholder: decoder.isPlaceholder)
    }
}
