import WSKitContract

/// Sequential access to an array, element by element, with index paths.
struct PayloadUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: PayloadDecoder
    let array: [JSONValue]
    var currentIndex: Int = 0

    init(decoder: PayloadDecoder, array: [JSONValue]) {
        self.decoder = decoder
        self.array = array
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { array.count }
    var isAtEnd: Bool { currentIndex >= array.count }

    mutating func next() -> (JSONValue, Int)? {
        guard currentIndex < array.count else { return nil }
        defer { currentIndex += 1 }
        return (array[currentIndex], currentIndex)
    }

    mutating func decodeNil() throws -> Bool {
        guard currentIndex < array.count else { return true }
        if array[currentIndex].isNull {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard let (value, index) = next() else {
            if !decoder.isPlaceholder {
                decoder.record(Issues.required(decoder.path(appending: .index(currentIndex))))
            }
            return try PayloadDecoder.placeholder(type, state: decoder.state)
        }
        return try decoder.decodeValue(type, from: value, at: .index(index))
    }

    mutating func decode(_ type: String.Type) throws -> String { try decodeElement(type) }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try decodeElement(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try decodeElement(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try decodeElement(type) }

    mutating func decodeElement<T: PrimitiveDecodable>(_ type: T.Type) throws -> T {
        guard let (value, index) = next() else {
            if !decoder.isPlaceholder {
                decoder.record(Issues.required(decoder.path(appending: .index(currentIndex))))
            }
            return T.placeholder
        }
        return decoder.decodePrimitive(type, from: value, at: .index(index))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try childDecoder().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try childDecoder().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { childDecoder() }

    mutating func childDecoder() -> PayloadDecoder {
        guard let (value, index) = next() else { return decoder.placeholderChild() }
        return PayloadDecoder(value: value, parent: decoder, component: .index(index), state: decoder.state,
                              isPlaceholder: decoder.isPlaceholder)
    }
}
