import Testing
import WSKitContract
import WSKitValidation

/// `JSONBytesEncoder` writes exactly what `JSONValueEncoder` + `JSON.serialize` writes, for the
/// types it streams and for the ones it hands back to the tree encoder.
@Suite struct JSONBytesEncoderTests {
    /// The bytes of both encoders, as text, and whether they agree.
    static func both<T: Encodable>(_ value: T) throws -> (streamed: String, tree: String) {
        var prefix: [UInt8] = Array("x".utf8)
        try JSONBytesEncoder().encode(value, into: &prefix)
        #expect(prefix.first == UInt8(ascii: "x"), "appends after existing bytes")
        return (String(decoding: prefix.dropFirst(), as: UTF8.self), JSON.serialize(try JSONValueEncoder().encode(value)))
    }

    struct Flat: Codable { var a: Int; var b: Int; var c: String; var d: Bool; var e: Double }
    struct Inner: Codable { var x: Int?; var tags: [String]; var nested: [[Int]] }
    struct Outer: Codable {
        var inner: Inner
        var list: [Inner]
        var map: [String: Int]
        var optional: Inner?
        var missing: String?
        var any: JSONValue
        var color: Color
        var small: UInt8
        var big: Int64
        var huge: UInt64
        var float: Float
    }
    struct Empty1: Codable {}
    struct Wrapper: Codable {
        var value: Int
        init(_ value: Int) { self.value = value }
        init(from decoder: any Decoder) throws { value = try decoder.singleValueContainer().decode(Int.self) }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(value)
        }
    }
    struct Silent: Encodable { func encode(to encoder: any Encoder) throws {} }

    @Test func flatAndNestedValuesMatchTheTreeEncoder() throws {
        let inner = Inner(x: 3, tags: ["a", "b\"c", "\u{1}\n", "é☃️"], nested: [[1, 2], [], [-3]])
        let values: [any Encodable] = [
            Flat(a: 1, b: -2, c: "hello", d: true, e: 1.5),
            Flat(a: Int.max, b: Int.min, c: "", d: false, e: -0.0),
            Flat(a: 9_007_199_254_740_993, b: 0, c: "\\", d: false, e: 1e300),
            Outer(inner: inner, list: [inner, inner], map: ["k": 1], optional: nil, missing: nil,
                  any: ["a": [1, "two", nil, true]], color: .green, small: 255, big: -(1 << 60), huge: .max, float: 0.1),
            Empty1(), [Wrapper(1), Wrapper(2)], ["x": Wrapper(3)], [Silent(), Silent()], Silent(),
            "text", 42, 0.25, true, JSONValue.null, [1.5, 2], Optional<Int>.none as Int?,
        ]
        for value in values {
            let (streamed, tree) = try Self.both(value)
            #expect(streamed == tree)
        }
    }

    /// Patterns a stream cannot express make the encoder start over with the tree encoder.
    struct DuplicateKey: Encodable {
        enum Keys: String, CodingKey { case a, b }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(1, forKey: .a)
            try container.encode(2, forKey: .b)
            try container.encode(3, forKey: .a)
        }
    }

    struct Interleaved: Encodable {
        enum Keys: String, CodingKey { case first, second, third }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var first = container.nestedContainer(keyedBy: Keys.self, forKey: .first)
            var second = container.nestedUnkeyedContainer(forKey: .second)
            try first.encode("late", forKey: .third)
            try second.encode(1)
            try container.encode(true, forKey: .third)
            try second.encode(2)
        }
    }

    class Base: Encodable {
        var id = 1
        enum Keys: String, CodingKey { case id }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(id, forKey: .id)
        }
    }

    final class Derived: Base, @unchecked Sendable {
        var name = "d"
        enum More: String, CodingKey { case name, base }
        override func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: More.self)
            try container.encode(name, forKey: .name)
            try super.encode(to: container.superEncoder(forKey: .base))
            try super.encode(to: encoder)
        }
    }

    struct TwoContainers: Encodable {
        enum Keys: String, CodingKey { case a, b }
        func encode(to encoder: any Encoder) throws {
            var one = encoder.container(keyedBy: Keys.self)
            try one.encode(1, forKey: .a)
            var two = encoder.container(keyedBy: Keys.self)
            try two.encode(2, forKey: .b)
        }
    }

    struct Deep: Encodable {
        let depth: Int
        func encode(to encoder: any Encoder) throws {
            var container = encoder.unkeyedContainer()
            if depth > 0 { try container.encode(Deep(depth: depth - 1)) }
        }
    }

    @Test func patternsAStreamCannotExpressFallBackToTheTreeEncoder() throws {
        let values: [any Encodable] = [DuplicateKey(), Interleaved(), Derived(), TwoContainers(), Deep(depth: 40), Deep(depth: 15)]
        for value in values {
            let (streamed, tree) = try Self.both(value)
            #expect(streamed == tree)
        }
    }

    @Test func nonFiniteNumbersThrowTheTreeEncodersErrorAndLeaveTheBytesAlone() throws {
        var bytes: [UInt8] = [1, 2, 3]
        #expect(throws: EncodingError.self) { try JSONBytesEncoder().encode(Flat(a: 1, b: 2, c: "", d: true, e: .nan), into: &bytes) }
        #expect(throws: EncodingError.self) { try JSONBytesEncoder().encode([Double.infinity], into: &bytes) }
        #expect(throws: EncodingError.self) { try JSONBytesEncoder().encode(-Double.infinity, into: &bytes) }
        #expect(bytes == [1, 2, 3])
    }

    @Test func codableValidatorWritesTheSameBytesAsItsTreeEncoding() throws {
        let validator = CodableValidator<Flat>()
        let value = Flat(a: 1, b: 2, c: "hello", d: true, e: 1.5)
        var bytes: [UInt8] = []
        try validator.encode(value, into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == JSON.serialize(try validator.encode(value)))
    }
}
