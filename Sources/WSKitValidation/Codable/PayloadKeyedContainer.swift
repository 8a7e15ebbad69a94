import WSKitContract

/// Keyed access to an object for `Decodable` types. A thin generic shell over ``ObjectReader``:
/// the container is generic over the type's `CodingKeys`, which the standard library's boxes
/// never specialise, so all the work happens in non-generic code keyed by strings.
struct PayloadKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let reader: ObjectReader

    init(decoder: PayloadDecoder, object: JSONObject) {
        reader = ObjectReader(decoder: decoder, object: object)
    }

    var codingPath: [any CodingKey] { reader.decoder.codingPath }
    var allKeys: [Key] { reader.object.keys.compactMap { Key(stringValue: $0) } }
    func contains(_ key: Key) -> Bool { reader.contains(key.stringValue) }
    func decodeNil(forKey key: Key) throws -> Bool { reader.decodeNil(key.stringValue) }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { reader.required(type, key.stringValue) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { reader.required(type, key.stringValue) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { reader.required(type, key.stringValue) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { reader.required(type, key.stringValue) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { reader.required(type, key.stringValue) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { reader.required(type, key.stringValue) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { reader.required(type, key.stringValue) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { reader.required(type, key.stringValue) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { reader.required(type, key.stringValue) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { reader.required(type, key.stringValue) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { reader.required(type, key.stringValue) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { reader.required(type, key.stringValue) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { reader.required(type, key.stringValue) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { reader.required(type, key.stringValue) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try reader.required(type, key.stringValue) }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { reader.optional(type, key.stringValue) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { reader.optional(type, key.stringValue) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { reader.optional(type, key.stringValue) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { reader.optional(type, key.stringValue) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { reader.optional(type, key.stringValue) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { reader.optional(type, key.stringValue) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { reader.optional(type, key.stringValue) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { reader.optional(type, key.stringValue) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { reader.optional(type, key.stringValue) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { reader.optional(type, key.stringValue) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { reader.optional(type, key.stringValue) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { reader.optional(type, key.stringValue) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { reader.optional(type, key.stringValue) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { reader.optional(type, key.stringValue) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try reader.optional(type, key.stringValue) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try reader.child(for: key.stringValue).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try reader.child(for: key.stringValue).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { reader.superDecoder() }
    func superDecoder(forKey key: Key) throws -> any Decoder { reader.child(for: key.stringValue) }
}

/// Reads the keys of one object: marks each key it reads (for the unknown-key check), reports
/// missing keys as `required`, and checks the constraints declared for each key.
struct ObjectReader {
    let decoder: PayloadDecoder
    let object: JSONObject

    func contains(_ name: String) -> Bool {
        decoder.isPlaceholder ? false : object.contains(key: name)
    }

    /// The value under `name`, marking it read, or `nil` when absent.
    ///
    /// The scan starts after the previous hit: types usually read their keys in the order
    /// clients send them, so most lookups match on the first comparison.
    @inline(__always)
    func lookup(_ name: String) -> JSONValue? {
        let count = object.count
        guard count > 0 else { return nil }
        var index = decoder.nextKeyHint < count ? decoder.nextKeyHint : 0
        for _ in 0..<count {
            if object[index].key == name {
                decoder.markUsed(index)
                decoder.nextKeyHint = index + 1
                return object[index].value
            }
            index += 1
            if index == count { index = 0 }
        }
        return nil
    }

    /// Checks the constraints declared for `name` against its wire value. `wrapper` says a
    /// constraint wrapper was just decoded there, so its constraints must exist.
    @inline(__always)
    func checkConstraints(_ name: String, _ value: JSONValue, wrapper: Bool = false) {
        if let table = decoder.constraints {
            table.check(name, value, wrapper: wrapper, decoder: decoder)
        } else if wrapper, !decoder.isPlaceholder {
            decoder.record(Issues.custom(decoder.path(appending: .key(name)),
                                         "constraints of \"\(name)\" are not checked: they could not be matched to the enclosing type's properties (a property's initial value declares constraints too); conform it to Validatable"))
        }
    }

    func decodeNil(_ name: String) -> Bool {
        guard let value = lookup(name) else { return true }
        return value.isNull
    }

    func missing(_ name: String) {
        if !decoder.isPlaceholder { decoder.record(Issues.required(decoder.path(appending: .key(name)))) }
    }

    func required<T: PrimitiveDecodable>(_ type: T.Type, _ name: String) -> T {
        guard let value = lookup(name) else {
            missing(name)
            return T.placeholder
        }
        let decoded = decoder.decodePrimitive(type, from: value, at: .key(name))
        checkConstraints(name, value)
        return decoded
    }

    func optional<T: PrimitiveDecodable>(_ type: T.Type, _ name: String) -> T? {
        guard let value = lookup(name), !value.isNull else { return nil }
        let decoded = decoder.decodePrimitive(type, from: value, at: .key(name))
        checkConstraints(name, value)
        return decoded
    }

    func required<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        guard let value = lookup(name) else {
            if decoder.isPlaceholder { return try PayloadDecoder.placeholder(type, state: decoder.state) }
            missing(name)
            return try PayloadDecoder.placeholder(type, state: decoder.state)
        }
        decoder.decodedWrapper = false
        let decoded = try decoder.decodeValue(type, from: value, at: .key(name))
        checkConstraints(name, value, wrapper: decoder.decodedWrapper)
        return decoded
    }

    func optional<T: Decodable>(_ type: T.Type, _ name: String) throws -> T? {
        guard let value = lookup(name), !value.isNull else { return nil }
        decoder.decodedWrapper = false
        let decoded = try decoder.decodeValue(type, from: value, at: .key(name))
        checkConstraints(name, value, wrapper: decoder.decodedWrapper)
        return decoded
    }

    func superDecoder() -> PayloadDecoder {
        PayloadDecoder(value: .object(object), parent: decoder, component: nil, state: decoder.state,
                       isPlaceholder: decoder.isPlaceholder)
    }

    func child(for name: String) -> PayloadDecoder {
        guard let value = lookup(name) else {
            missing(name)
            return decoder.placeholderChild()
        }
        return PayloadDecoder(value: value, parent: decoder, component: .key(name), state: decoder.state,
                              isPlaceholder: decoder.isPlaceholder)
    }
}
