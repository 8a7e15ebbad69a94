/// Encodes an `Encodable` value straight into compact UTF-8 JSON bytes.
///
/// The output is byte for byte what ``JSONValueEncoder`` followed by `JSON.serialize` gives —
/// same key order, number forms and escapes — without building the intermediate ``JSONValue``
/// tree: no node per value, no array per object. It is what `CodableValidator` (WSKitValidation) uses for
/// ``Validator/encode(_:into:)``, so the router writes reply payloads straight into its outbound
/// buffer.
///
/// The writer streams, so it handles what types almost always do — each value encoded once, in
/// order, containers used while they are innermost. A type that does anything else (encodes one
/// key twice, writes to a container after opening a later sibling, asks for a super encoder), and
/// every error, makes the encoder start over with ``JSONValueEncoder``, which defines the result
/// and the error thrown.
public struct JSONBytesEncoder: Sendable {
    /// Creates an encoder.
    public init() {}

    /// Appends the JSON text of `value` to `bytes`. On a throw, `bytes` is as it was.
    public func encode<T: Encodable>(_ value: T, into bytes: inout [UInt8]) throws {
        let start = bytes.count
        if StreamingEncoder.writePrimitive(value, into: &bytes) { return }
        let encoder = StreamingEncoder()
        swap(&encoder.bytes, &bytes)
        var streamed = true
        do {
            try value.encode(to: encoder)
            try encoder.finishRoot()
        } catch {
            streamed = false
        }
        swap(&encoder.bytes, &bytes)
        if streamed { return }
        bytes.removeSubrange(start...)
        JSON.serialize(try JSONValueEncoder().encode(value), into: &bytes)
    }
}

/// Thrown inside the streaming writer when a type uses the `Encoder` API in a way a stream cannot
/// express; the caller starts over with ``JSONValueEncoder``.
struct StreamingUnsupported: Error {}

/// The `Encoder` of ``JSONBytesEncoder``: one per encoded value, shared by all nested values.
///
/// Containers are written as they are used. Each open container has a depth and a serial number;
/// a container may write only while it is open, and writing to it first closes every container
/// opened inside it. `slotOpen` says a value is expected at the current position (the root, or
/// after a key or an array comma), which is what `container(keyedBy:)`, `unkeyedContainer()` and
/// single-value writes consume.
final class StreamingEncoder: Encoder {
    @exclusivity(unchecked) var bytes: [UInt8] = []
    /// The number of open containers.
    var depth = 0
    /// Bit `d - 1` set: the container at depth `d` is an object, else an array.
    var objectMask: UInt64 = 0
    /// The serial number of the open container at each depth (1…16).
    @exclusivity(unchecked) var serials: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var nextSerial = 0
    /// A value is expected at the current position.
    var slotOpen = true
    /// Set when a non-throwing `Encoder` call met something the stream cannot express.
    var failed = false
    /// The coding path of the value being encoded (keys of enclosing non-primitive values).
    var keys: [any CodingKey] = []

    static let maxDepth = 16

    var codingPath: [any CodingKey] { keys }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    // MARK: Containers

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(StreamingKeyedContainer<Key>(encoder: self, serial: open(object: true), pathCount: keys.count))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        StreamingUnkeyedContainer(encoder: self, serial: open(object: false), pathCount: keys.count)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        StreamingSingleValueContainer(encoder: self, pathCount: keys.count)
    }

    /// Opens an object or array in the open slot; returns its serial (`-1`: unusable).
    func open(object: Bool) -> Int {
        guard slotOpen, !failed, depth < Self.maxDepth else {
            failed = true
            return -1
        }
        slotOpen = false
        depth &+= 1
        nextSerial &+= 1
        setSerial(nextSerial, at: depth)
        if object {
            objectMask |= 1 << UInt64(depth &- 1)
            bytes.append(UInt8(ascii: "{"))
        } else {
            objectMask &= ~(1 << UInt64(depth &- 1))
            bytes.append(UInt8(ascii: "["))
        }
        return nextSerial
    }

    @inline(__always)
    func setSerial(_ serial: Int, at depth: Int) {
        withUnsafeMutableBytes(of: &serials) { $0.storeBytes(of: serial, toByteOffset: (depth &- 1) &* MemoryLayout<Int>.stride, as: Int.self) }
    }

    @inline(__always)
    func serial(at depth: Int) -> Int {
        withUnsafeBytes(of: &serials) { $0.load(fromByteOffset: (depth &- 1) &* MemoryLayout<Int>.stride, as: Int.self) }
    }

    /// Makes the container `serial` at `containerDepth` the innermost one, closing the containers
    /// opened inside it; throws when it is closed already.
    @inline(__always)
    func enter(_ serial: Int, at containerDepth: Int) throws {
        guard !failed, serial > 0, containerDepth <= depth, self.serial(at: containerDepth) == serial else {
            throw StreamingUnsupported()
        }
        while depth > containerDepth { closeInnermost() }
        slotOpen = false
    }

    func closeInnermost() {
        bytes.append(objectMask & (1 << UInt64(depth &- 1)) != 0 ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        depth &-= 1
    }

    /// Encodes a non-primitive value in the open slot through its own `encode(to:)`; a value
    /// that wrote nothing becomes `{}` (as in ``JSONValueEncoder``).
    func encodeNested<T: Encodable>(_ value: T, at containerDepth: Int, key: any CodingKey) throws {
        slotOpen = true
        keys.append(key)
        try value.encode(to: self)
        keys.removeLast()
        if failed { throw StreamingUnsupported() }
        if slotOpen {
            slotOpen = false
            bytes.append(UInt8(ascii: "{"))
            bytes.append(UInt8(ascii: "}"))
        }
        while depth > containerDepth { closeInnermost() }
    }

    /// Ends the root value: closes what is open; a value that wrote nothing is `{}`.
    func finishRoot() throws {
        if failed { throw StreamingUnsupported() }
        if slotOpen {
            slotOpen = false
            bytes.append(UInt8(ascii: "{"))
            bytes.append(UInt8(ascii: "}"))
        }
        while depth > 0 { closeInnermost() }
    }

    // MARK: Primitives

    /// Writes `value` when it is one of the types ``JSONValueEncoder`` treats as a primitive;
    /// `false` otherwise (or for a non-finite number, which the tree encoder then rejects).
    /// Metatypes are compared first: a pointer comparison per candidate, no dynamic casts.
    static func writePrimitive<T: Encodable>(_ value: T, into bytes: inout [UInt8]) -> Bool {
        let type = T.self
        if type == String.self { JSON.writeString(reinterpret(value, as: String.self), into: &bytes); return true }
        if type == Int.self { JSON.writeInteger(Int64(reinterpret(value, as: Int.self)), into: &bytes); return true }
        if type == Bool.self { writeBool(reinterpret(value, as: Bool.self), into: &bytes); return true }
        if type == Double.self { return writeDouble(reinterpret(value, as: Double.self), into: &bytes) }
        if type == JSONValue.self { JSON.serialize(reinterpret(value, as: JSONValue.self), into: &bytes); return true }
        if type == Float.self { return writeDouble(Double(reinterpret(value, as: Float.self)), into: &bytes) }
        if type == Int64.self { JSON.writeInteger(reinterpret(value, as: Int64.self), into: &bytes); return true }
        if type == Int32.self { JSON.writeInteger(Int64(reinterpret(value, as: Int32.self)), into: &bytes); return true }
        if type == Int16.self { JSON.writeInteger(Int64(reinterpret(value, as: Int16.self)), into: &bytes); return true }
        if type == Int8.self { JSON.writeInteger(Int64(reinterpret(value, as: Int8.self)), into: &bytes); return true }
        if type == UInt.self { JSON.writeInteger(UInt64(reinterpret(value, as: UInt.self)), into: &bytes); return true }
        if type == UInt64.self { JSON.writeInteger(reinterpret(value, as: UInt64.self), into: &bytes); return true }
        if type == UInt32.self { JSON.writeInteger(UInt64(reinterpret(value, as: UInt32.self)), into: &bytes); return true }
        if type == UInt16.self { JSON.writeInteger(UInt64(reinterpret(value, as: UInt16.self)), into: &bytes); return true }
        if type == UInt8.self { JSON.writeInteger(UInt64(reinterpret(value, as: UInt8.self)), into: &bytes); return true }
        return false
    }

    /// `value` as `U`, for a `T` the caller has checked to be `U`.
    @inline(__always)
    static func reinterpret<T, U>(_ value: T, as: U.Type) -> U {
        withUnsafePointer(to: value) { UnsafeRawPointer($0).load(as: U.self) }
    }

    @inline(__always)
    static func writeBool(_ flag: Bool, into bytes: inout [UInt8]) {
        if flag { JSON.writeRaw("true", into: &bytes) } else { JSON.writeRaw("false", into: &bytes) }
    }

    /// Writes a finite number; `false` for NaN and infinities (the tree encoder throws for them).
    @inline(__always)
    static func writeDouble(_ number: Double, into bytes: inout [UInt8]) -> Bool {
        guard number.isFinite else { return false }
        JSON.writeNumber(number, into: &bytes)
        return true
    }

    /// Writes a primitive or a nested value in the open slot at `containerDepth`.
    @inline(__always)
    func writeValue<T: Encodable>(_ value: T, at containerDepth: Int, key: @autoclosure () -> any CodingKey) throws {
        if Self.writePrimitive(value, into: &bytes) { return }
        if T.self == Double.self || T.self == Float.self { throw StreamingUnsupported() }
        try encodeNested(value, at: containerDepth, key: key())
    }
}

/// What the containers of ``StreamingEncoder`` share: each claims a place for one value (a keyed
/// member, an array element, the single-value slot), then writes the value there.
protocol StreamingContainer {
    /// Where a value goes: the key of a keyed container, nothing for the others.
    associatedtype Place
    var encoder: StreamingEncoder { get }
    /// How many keys of ``StreamingEncoder/keys`` are this container's coding path.
    var pathCount: Int { get }
    /// Readies the encoder for one value at `place`, or throws when the stream cannot write it.
    mutating func claim(_ place: Place) throws
}

extension StreamingContainer {
    var codingPath: [any CodingKey] { Array(encoder.keys.prefix(pathCount)) }

    /// Opens a nested object at `place`; a place it cannot claim makes the encoding start over.
    @inline(__always)
    mutating func nestedKeyed<NestedKey: CodingKey>(at place: Place) -> KeyedEncodingContainer<NestedKey> {
        do { try claim(place) } catch { encoder.failed = true }
        encoder.slotOpen = true
        return KeyedEncodingContainer(StreamingKeyedContainer<NestedKey>(
            encoder: encoder, serial: encoder.open(object: true), pathCount: pathCount))
    }

    /// Opens a nested array at `place`; a place it cannot claim makes the encoding start over.
    @inline(__always)
    mutating func nestedUnkeyed(at place: Place) -> any UnkeyedEncodingContainer {
        do { try claim(place) } catch { encoder.failed = true }
        encoder.slotOpen = true
        return StreamingUnkeyedContainer(encoder: encoder, serial: encoder.open(object: false), pathCount: pathCount)
    }

    mutating func superEncoder() -> any Encoder {
        encoder.failed = true
        return encoder
    }
}

/// The primitive writers of the unkeyed and single-value containers (the next element, or the
/// one slot).
extension StreamingContainer where Place == Void {
    mutating func encodeNil() throws {
        try claim(())
        JSON.writeRaw("null", into: &encoder.bytes)
    }

    mutating func encode(_ value: Bool) throws {
        try claim(())
        StreamingEncoder.writeBool(value, into: &encoder.bytes)
    }

    mutating func encode(_ value: String) throws {
        try claim(())
        JSON.writeString(value, into: &encoder.bytes)
    }

    mutating func encode(_ value: Double) throws {
        guard value.isFinite else { throw StreamingUnsupported() }
        try claim(())
        JSON.writeNumber(value, into: &encoder.bytes)
    }

    mutating func encode(_ value: Int) throws {
        try claim(())
        JSON.writeInteger(Int64(value), into: &encoder.bytes)
    }
}

/// A keyed container of ``StreamingEncoder``: writes `"key":value` members of one open object.
struct StreamingKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol, StreamingContainer {
    let encoder: StreamingEncoder
    let serial: Int
    let depth: Int
    let pathCount: Int
    /// Members written so far.
    var count = 0
    /// Fingerprints of the keys written: a new key whose fingerprint is absent cannot repeat one.
    var keyBloom: UInt64 = 0
    /// Where the first ``KeyStarts/capacity`` members' keys begin in the bytes, to confirm a
    /// fingerprint match (a truly repeated key makes the tree encoder decide).
    var keyStarts = KeyStarts()

    init(encoder: StreamingEncoder, serial: Int, pathCount: Int) {
        self.encoder = encoder
        self.serial = serial
        self.depth = encoder.depth
        self.pathCount = pathCount
    }

    /// Writes `,"key":` (the comma after the first member) once the container may write.
    @inline(__always)
    mutating func claim(_ key: Key) throws {
        try encoder.enter(serial, at: depth)
        var name = key.stringValue
        let fingerprint = name.withUTF8 { utf8 -> UInt64 in
            let hash = utf8.isEmpty ? 0 : utf8.count &* 31 &+ Int(utf8[0]) &* 7 &+ Int(utf8[utf8.count &- 1])
            return 1 << UInt64(hash & 63)
        }
        if count > 0 { encoder.bytes.append(UInt8(ascii: ",")) }
        let start = encoder.bytes.count
        JSON.writeString(name, into: &encoder.bytes)
        encoder.bytes.append(UInt8(ascii: ":"))
        if keyBloom & fingerprint != 0, repeatsWrittenKey(from: start) { throw StreamingUnsupported() }
        keyBloom |= fingerprint
        if count < KeyStarts.capacity { keyStarts[count] = UInt32(truncatingIfNeeded: start) }
        count &+= 1
    }

    /// Whether the `"key":` just written from `start` repeats an earlier member's key. Past
    /// ``KeyStarts/capacity`` members the earlier keys are not all known: answers yes, and the
    /// tree encoder decides.
    private func repeatsWrittenKey(from start: Int) -> Bool {
        guard count <= KeyStarts.capacity else { return true }
        return encoder.bytes.withUnsafeBufferPointer { bytes in
            let length = bytes.count &- start
            for index in 0 ..< count {
                let earlier = Int(keyStarts[index])
                // The same bytes up to and including `":` mean the same key: a JSON string ends at
                // its first unescaped quote, and the bytes before it are the same in both.
                if earlier &+ length <= start,
                   bytes[earlier ..< earlier &+ length].elementsEqual(bytes[start ..< start &+ length]) {
                    return true
                }
            }
            return false
        }
    }

    // The primitive writers are spelled out here rather than shared with the unkeyed and
    // single-value containers through a generic `StreamingContainer` extension: reached through
    // one, `claim(_:)` keeps an extra retain of the encoder across `key.stringValue` (callgrind:
    // +2 retain/release pairs a message, +0.2% on router.rpc).

    mutating func encodeNil(forKey key: Key) throws {
        try claim(key)
        JSON.writeRaw("null", into: &encoder.bytes)
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        try claim(key)
        StreamingEncoder.writeBool(value, into: &encoder.bytes)
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        try claim(key)
        JSON.writeString(value, into: &encoder.bytes)
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        guard value.isFinite else { throw StreamingUnsupported() }
        try claim(key)
        JSON.writeNumber(value, into: &encoder.bytes)
    }

    mutating func encode(_ value: Int64, forKey key: Key) throws {
        try claim(key)
        JSON.writeInteger(value, into: &encoder.bytes)
    }

    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        try claim(key)
        JSON.writeInteger(value, into: &encoder.bytes)
    }

    mutating func encode(_ value: Float, forKey key: Key) throws { try encode(Double(value), forKey: key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try encode(Int64(value), forKey: key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try encode(Int64(value), forKey: key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try encode(Int64(value), forKey: key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try encode(Int64(value), forKey: key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try encode(UInt64(value), forKey: key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try encode(UInt64(value), forKey: key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try encode(UInt64(value), forKey: key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try encode(UInt64(value), forKey: key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try claim(key)
        try encoder.writeValue(value, at: depth, key: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        nestedKeyed(at: key)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        nestedUnkeyed(at: key)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder() }
}

/// An unkeyed container of ``StreamingEncoder``: writes the elements of one open array.
struct StreamingUnkeyedContainer: UnkeyedEncodingContainer, StreamingContainer {
    let encoder: StreamingEncoder
    let serial: Int
    let depth: Int
    let pathCount: Int
    var count = 0

    init(encoder: StreamingEncoder, serial: Int, pathCount: Int) {
        self.encoder = encoder
        self.serial = serial
        self.depth = encoder.depth
        self.pathCount = pathCount
    }

    /// Writes the comma before every element but the first, once the container may write.
    @inline(__always)
    mutating func claim(_: Void) throws {
        try encoder.enter(serial, at: depth)
        if count > 0 { encoder.bytes.append(UInt8(ascii: ",")) }
        count &+= 1
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let index = count
        try claim(())
        try encoder.writeValue(value, at: depth, key: PathKey(intValue: index))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        nestedKeyed(at: ())
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { nestedUnkeyed(at: ()) }
}

/// The single-value container of ``StreamingEncoder``: fills the open slot once.
struct StreamingSingleValueContainer: SingleValueEncodingContainer, StreamingContainer {
    let encoder: StreamingEncoder
    let pathCount: Int

    /// Takes the open slot.
    @inline(__always)
    func claim(_: Void) throws {
        guard encoder.slotOpen, !encoder.failed else { throw StreamingUnsupported() }
        encoder.slotOpen = false
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        guard encoder.slotOpen, !encoder.failed else { throw StreamingUnsupported() }
        if StreamingEncoder.writePrimitive(value, into: &encoder.bytes) {
            encoder.slotOpen = false
            return
        }
        if T.self == Double.self || T.self == Float.self { throw StreamingUnsupported() }
        // The value fills this slot itself (its own containers or single value).
        let depth = encoder.depth
        try value.encode(to: encoder)
        if encoder.failed { throw StreamingUnsupported() }
        if encoder.slotOpen {
            encoder.slotOpen = false
            JSON.writeRaw("{}", into: &encoder.bytes)
        }
        while encoder.depth > depth { encoder.closeInnermost() }
    }
}

/// The byte offsets of up to 16 member keys, stored inline (no allocation per object).
struct KeyStarts {
    static let capacity = 16
    private var storage: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32,
                          UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    subscript(index: Int) -> UInt32 {
        get { withUnsafeBytes(of: storage) { $0.load(fromByteOffset: index &* 4, as: UInt32.self) } }
        set { withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: newValue, toByteOffset: index &* 4, as: UInt32.self) } }
    }
}
