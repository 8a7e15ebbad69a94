/// Encodes an `Encodable` value into a ``JSONValue`` (the inverse of `WSKitValidation`'s validating
/// decoder, `CodableValidator`).
///
/// Keys keep the order the type encodes them in; integers become numbers (exact up to 2^53);
/// non-finite floating-point values throw `EncodingError.invalidValue`, since JSON cannot carry
/// them.
public struct JSONValueEncoder: Sendable {
    /// Creates an encoder.
    public init() {}

    /// Encodes `value`.
    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        if let primitive = try EncodingBox.primitive(value, path: []) { return primitive }
        let box = EncodingBox(codingPath: [])
        try value.encode(to: box)
        return box.node.finish()
    }
}

/// A value under construction: a leaf, or an object or array whose children are still encoding.
final class EncodingNode {
    enum Content {
        case empty
        case leaf(JSONValue)
        case object([(String, EncodingNode)])
        case array([EncodingNode])
    }

    var content: Content = .empty

    init() {}
    init(_ value: JSONValue) { content = .leaf(value) }

    func finish() -> JSONValue {
        switch content {
        case .empty: return .object([:])
        case .leaf(let value): return value
        case .object(let pairs):
            var object = JSONObject(minimumCapacity: pairs.count)
            for (key, node) in pairs { object[key] = node.finish() }
            return .object(object)
        case .array(let nodes): return .array(nodes.map { $0.finish() })
        }
    }

    func set(_ key: String, _ node: EncodingNode) {
        var pairs: [(String, EncodingNode)]
        if case .object(let existing) = content { pairs = existing } else { pairs = [] }
        content = .empty
        if let index = pairs.firstIndex(where: { $0.0 == key }) { pairs[index].1 = node } else { pairs.append((key, node)) }
        content = .object(pairs)
    }

    func append(_ node: EncodingNode) {
        var nodes: [EncodingNode]
        if case .array(let existing) = content { nodes = existing } else { nodes = [] }
        content = .empty
        nodes.append(node)
        content = .array(nodes)
    }

    var arrayCount: Int {
        if case .array(let nodes) = content { return nodes.count }
        return 0
    }
}

/// The `Encoder` the validator hands to `encode(to:)`.
final class EncodingBox: Encoder {
    let codingPath: [any CodingKey]
    let node: EncodingNode
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(codingPath: [any CodingKey], node: EncodingNode = EncodingNode()) {
        self.codingPath = codingPath
        self.node = node
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = node.content {} else { node.content = .object([]) }
        return KeyedEncodingContainer(KeyedEncoding<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = node.content {} else { node.content = .array([]) }
        return UnkeyedEncoding(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueEncoding(node: node, codingPath: codingPath)
    }

    /// The JSON of a primitive value, or `nil` when `value` is not a primitive.
    static func primitive<T: Encodable>(_ value: T, path: [any CodingKey]) throws -> JSONValue? {
        // Compare metatypes first (a pointer comparison) instead of trying a chain of dynamic
        // casts: a struct payload would otherwise pay fifteen failing casts on every encode.
        let type = T.self
        if type == String.self { return .string(reinterpret(value, as: String.self)) }
        if type == Int.self { return .number(Double(reinterpret(value, as: Int.self))) }
        if type == Bool.self { return .bool(reinterpret(value, as: Bool.self)) }
        if type == Double.self { return try finite(reinterpret(value, as: Double.self), path) }
        if type == JSONValue.self { return reinterpret(value, as: JSONValue.self) }
        if type == Float.self { return try finite(Double(reinterpret(value, as: Float.self)), path) }
        if type == Int64.self { return .number(Double(reinterpret(value, as: Int64.self))) }
        if type == Int32.self { return .number(Double(reinterpret(value, as: Int32.self))) }
        if type == Int16.self { return .number(Double(reinterpret(value, as: Int16.self))) }
        if type == Int8.self { return .number(Double(reinterpret(value, as: Int8.self))) }
        if type == UInt.self { return .number(Double(reinterpret(value, as: UInt.self))) }
        if type == UInt64.self { return .number(Double(reinterpret(value, as: UInt64.self))) }
        if type == UInt32.self { return .number(Double(reinterpret(value, as: UInt32.self))) }
        if type == UInt16.self { return .number(Double(reinterpret(value, as: UInt16.self))) }
        if type == UInt8.self { return .number(Double(reinterpret(value, as: UInt8.self))) }
        return nil
    }

    /// `value` as `U`, for a `T` the caller has checked to be `U`.
    @inline(__always)
    static func reinterpret<T, U>(_ value: T, as: U.Type) -> U {
        withUnsafePointer(to: value) { UnsafeRawPointer($0).load(as: U.self) }
    }

    static func finite(_ number: Double, _ path: [any CodingKey]) throws -> JSONValue {
        guard number.isFinite else {
            throw EncodingError.invalidValue(number, .init(codingPath: path, debugDescription: "JSON cannot represent \(number)"))
        }
        return .number(number)
    }

    /// Encodes any value into a new node.
    static func node<T: Encodable>(for value: T, path: [any CodingKey]) throws -> EncodingNode {
        if let primitive = try primitive(value, path: path) { return EncodingNode(primitive) }
        let box = EncodingBox(codingPath: path)
        try value.encode(to: box)
        return box.node
    }
}

struct KeyedEncoding<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodingNode
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { node.set(key.stringValue, EncodingNode(.null)) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        node.set(key.stringValue, try EncodingBox.node(for: value, path: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = EncodingNode()
        child.content = .object([])
        node.set(key.stringValue, child)
        return KeyedEncodingContainer(KeyedEncoding<NestedKey>(node: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = EncodingNode()
        child.content = .array([])
        node.set(key.stringValue, child)
        return UnkeyedEncoding(node: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = EncodingNode()
        node.set(key.stringValue, child)
        return EncodingBox(codingPath: codingPath + [key], node: child)
    }
}

struct UnkeyedEncoding: UnkeyedEncodingContainer {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    var count: Int { node.arrayCount }

    mutating func encodeNil() throws { node.append(EncodingNode(.null)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        node.append(try EncodingBox.node(for: value, path: codingPath + [PathKey(intValue: count)]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = EncodingNode()
        child.content = .object([])
        let path = codingPath + [PathKey(intValue: count)]
        node.append(child)
        return KeyedEncodingContainer(KeyedEncoding<NestedKey>(node: child, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = EncodingNode()
        child.content = .array([])
        let path = codingPath + [PathKey(intValue: count)]
        node.append(child)
        return UnkeyedEncoding(node: child, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let child = EncodingNode()
        let path = codingPath + [PathKey(intValue: count)]
        node.append(child)
        return EncodingBox(codingPath: path, node: child)
    }
}

struct SingleValueEncoding: SingleValueEncodingContainer {
    let node: EncodingNode
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.content = .leaf(.null) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let child = try EncodingBox.node(for: value, path: codingPath)
        node.content = child.content
    }
}
