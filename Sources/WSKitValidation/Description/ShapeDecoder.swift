import WSKitContract

/// What one type's `init(from:)` asked the ``ShapeDecoder`` for: object fields, one single
/// value, or an array.
final class ShapeRecorder {
    var derivation: ShapeDerivation
    let table: ConstraintTable?
    var fields: [PayloadShape.Field] = []
    var single: PayloadShape?
    var isArray = false

    init(derivation: ShapeDerivation, table: ConstraintTable?) {
        self.derivation = derivation
        self.table = table
    }

    /// The recorded shape.
    var shape: PayloadShape {
        if let single { return single }
        if isArray { return PayloadShape(.array(PayloadShape(.any))) }
        return PayloadShape(.object(fields: fields, strict: true))
    }

    func field<T: Decodable>(_ type: T.Type, _ key: String, optional: Bool) -> T? {
        var (shape, placeholder) = derivation.describe(T.self)
        shape = shape.adding(table?.constraints(for: key) ?? [])
        if optional, !{ if case .optional = shape.kind { true } else { false } }() {
            shape = PayloadShape(.optional(shape))
        }
        if let index = fields.firstIndex(where: { $0.name == key }) {
            fields[index].shape = shape
        } else {
            fields.append(PayloadShape.Field(name: key, shape: shape))
        }
        return placeholder
    }
}

/// A decoder that records the structure a type decodes (see ``PayloadShape/of(_:)``): every
/// value it hands out is a placeholder.
struct ShapeDecoder: Decoder {
    let recorder: ShapeRecorder
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(ShapeKeyedContainer<Key>(recorder: recorder))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        recorder.isArray = true
        return ShapeUnkeyedContainer()
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        ShapeSingleValueContainer(recorder: recorder)
    }
}

struct ShapeMissing: Error {}

struct ShapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let recorder: ShapeRecorder
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let value = recorder.field(T.self, key.stringValue, optional: false) else { throw ShapeMissing() }
        return value
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        _ = recorder.field(T.self, key.stringValue, optional: true)
        return nil
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(type as Bool.Type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(type as String.Type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decode(type as Double.Type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decode(type as Float.Type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(type as Int.Type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decode(type as Int8.Type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decode(type as Int16.Type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decode(type as Int32.Type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(type as Int64.Type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decode(type as UInt.Type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decode(type as UInt8.Type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decode(type as UInt16.Type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decode(type as UInt32.Type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decode(type as UInt64.Type, key) }

    private func decode<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        guard let value = recorder.field(T.self, key.stringValue, optional: false) else { throw ShapeMissing() }
        return value
    }

    private func decodeOptional<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        _ = recorder.field(T.self, key.stringValue, optional: true)
        return nil
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { decodeOptional(type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { decodeOptional(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { decodeOptional(type, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { decodeOptional(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { decodeOptional(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { decodeOptional(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { decodeOptional(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { decodeOptional(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { decodeOptional(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { decodeOptional(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { decodeOptional(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { decodeOptional(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { decodeOptional(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { decodeOptional(type, key) }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let nested = ShapeRecorder(derivation: recorder.derivation, table: nil)
        recorder.fields.append(PayloadShape.Field(name: key.stringValue, shape: PayloadShape(.object(fields: [], strict: true))))
        return KeyedDecodingContainer(ShapeKeyedContainer<NestedKey>(recorder: nested))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        recorder.fields.append(PayloadShape.Field(name: key.stringValue, shape: PayloadShape(.array(PayloadShape(.any)))))
        return ShapeUnkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { ShapeDecoder(recorder: recorder) }
    func superDecoder(forKey key: Key) throws -> any Decoder { ShapeDecoder(recorder: recorder) }
}

struct ShapeSingleValueContainer: SingleValueDecodingContainer {
    let recorder: ShapeRecorder
    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (shape, placeholder) = recorder.derivation.describe(T.self)
        recorder.single = shape
        guard let placeholder else { throw ShapeMissing() }
        return placeholder
    }
}

/// An array the decoder reports as empty (its element shape is not derived).
struct ShapeUnkeyedContainer: UnkeyedDecodingContainer {
    var codingPath: [any CodingKey] { [] }
    var count: Int? { 0 }
    var isAtEnd: Bool { true }
    var currentIndex: Int { 0 }

    mutating func decodeNil() throws -> Bool { false }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { throw ShapeMissing() }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        throw ShapeMissing()
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { throw ShapeMissing() }
    mutating func superDecoder() throws -> any Decoder { throw ShapeMissing() }
}
