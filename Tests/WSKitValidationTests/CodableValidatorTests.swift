import Testing
import WSKitContract
import WSKitValidation

struct Address: Codable, Sendable, Equatable {
    var city: String
    var zip: String?
}

struct Profile: Codable, Sendable, Equatable {
    var name: String
    var age: Int
    var score: Double
    var active: Bool
    var address: Address
    var tags: [String]
    var nickname: String?
}

enum Color: String, Codable, Sendable, CaseIterable { case red, green }
enum Mood: String, Codable, Sendable { case happy, sad }

struct Paint: Codable, Sendable {
    var color: Color
    var mood: Mood?
}

struct Small: Codable, Sendable {
    var byte: UInt8
    var count: Int
}

struct Freeform: Codable, Sendable {
    var kind: String
    var data: JSONValue
    var labels: [String: Int]
}

struct Strange: Codable, Sendable {
    var value: Int
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        value = try container.decode(Int.self, forKey: .value)
        if value == 13 {
            throw DecodingError.dataCorruptedError(forKey: .value, in: container, debugDescription: "13 is unlucky")
        }
    }
}

struct Holder: Codable, Sendable {
    var strange: Strange
    var after: String
}

@Suite("CodableValidator")
struct CodableValidatorTests {
    let profile = CodableValidator<Profile>()
    let valid = #"{"name":"Ann","age":30,"score":4.5,"active":true,"address":{"city":"Oslo"},"tags":["a"]}"#

    @Test("valid input decodes; optionals accept a missing key or null")
    func decodes() throws {
        let decoded = try profile.validate(try JSON.parse(valid)).get()
        #expect(decoded == Profile(name: "Ann", age: 30, score: 4.5, active: true, address: Address(city: "Oslo"), tags: ["a"]))
        let withNulls = #"{"name":"Ann","age":30,"score":4,"active":true,"address":{"city":"Oslo","zip":null},"tags":[],"nickname":null}"#
        #expect(try profile.validate(try JSON.parse(withNulls)).get().nickname == nil)
    }

    @Test("unknown keys are rejected at the payload root")
    func unknownAtRoot() throws {
        let json = #"{"name":"Ann","age":30,"score":4.5,"active":true,"address":{"city":"Oslo"},"tags":[],"admin":true,"x":1}"#
        let found = try issues(profile, json)
        #expect(summary(found) == ["payload.admin: unrecognized_key", "payload.x: unrecognized_key"])
        #expect(found.first?.message == #"unrecognized key "admin""#)
    }

    @Test("unknown keys are rejected in nested objects and in array elements")
    func unknownNested() throws {
        let json = #"{"name":"A","age":1,"score":1,"active":false,"address":{"city":"Oslo","street":"x"},"tags":[]}"#
        #expect(summary(try issues(profile, json)) == ["payload.address.street: unrecognized_key"])
        struct Line: Codable, Sendable { var sku: String }
        struct Order: Codable, Sendable { var lines: [Line] }
        let order = CodableValidator<Order>()
        #expect(summary(try issues(order, #"{"lines":[{"sku":"a"},{"sku":"b","qty":2}]}"#)) == ["payload.lines[1].qty: unrecognized_key"])
    }

    @Test("a type that reads nothing (an empty struct's synthesised Codable) accepts only {}")
    func emptyTypeIsStrict() throws {
        struct Ping: Codable, Sendable {}
        struct Wrapper: Codable, Sendable { var ping: Ping; var n: Int }
        let ping = CodableValidator<Ping>()
        #expect(try issues(ping, "{}").isEmpty)
        #expect(summary(try issues(ping, #"{"admin":true,"x":1}"#)) == ["payload.admin: unrecognized_key", "payload.x: unrecognized_key"])
        #expect(summary(try issues(ping, "42")) == ["payload: invalid_type"])
        let wrapper = CodableValidator<Wrapper>()
        #expect(try issues(wrapper, #"{"ping":{},"n":1}"#).isEmpty)
        #expect(summary(try issues(wrapper, #"{"ping":{"sneaky":1},"n":1}"#)) == ["payload.ping.sneaky: unrecognized_key"])
        #expect(summary(try issues(wrapper, #"{"ping":[],"n":1}"#)) == ["payload.ping: invalid_type"])
    }

    @Test("every wrong type is reported with its path, in one pass")
    func wrongTypes() throws {
        let json = #"{"name":1,"age":"30","score":"x","active":"yes","address":[],"tags":[1,"b",null],"nickname":false}"#
        let found = try issues(profile, json)
        #expect(summary(found) == [
            "payload.name: invalid_type", "payload.age: invalid_type", "payload.score: invalid_type",
            "payload.active: invalid_type", "payload.address: invalid_type", "payload.tags[0]: invalid_type",
            "payload.tags[2]: invalid_type", "payload.nickname: invalid_type",
        ])
        #expect(found[0].message == "expected string, received number")
        #expect(found[1].message == "expected integer, received string")
        #expect(found[4].message == "expected object, received array")
        #expect(found[6].message == "expected string, received null")
    }

    @Test("missing required keys are reported at the key's path")
    func missing() throws {
        let found = try issues(profile, #"{"name":"A","address":{},"tags":[]}"#)
        #expect(summary(found) == [
            "payload.age: required", "payload.score: required", "payload.active: required", "payload.address.city: required",
        ])
    }

    @Test("a non-object payload is one invalid_type issue at the payload")
    func rootType() throws {
        #expect(summary(try issues(profile, "[1]")) == ["payload: invalid_type"])
        #expect(summary(try issues(profile, "null")) == ["payload: invalid_type"])
    }

    @Test("integers must have no fraction and fit the Swift type")
    func integers() throws {
        let small = CodableValidator<Small>()
        let found = try issues(small, #"{"byte":300,"count":1.5}"#)
        #expect(summary(found) == ["payload.byte: too_big", "payload.count: not_integer"])
        #expect(found[0].message == "must be at most 255")
        #expect(found[1].message == "expected integer, received number")
        #expect(summary(try issues(small, #"{"byte":-1,"count":2e30}"#)) == ["payload.byte: too_small", "payload.count: too_big"])
        #expect(try issues(small, #"{"byte":255,"count":-4}"#).isEmpty)
    }

    @Test("enums: CaseIterable ones list the allowed values; others report the decoding error")
    func enums() throws {
        let paint = CodableValidator<Paint>()
        let found = try issues(paint, #"{"color":"blue","mood":"meh"}"#)
        #expect(summary(found) == ["payload.color: invalid_enum_value", "payload.mood: custom"])
        #expect(found[0].message == #"expected one of "red", "green"; received "blue""#)
        #expect(try paint.validate(try JSON.parse(#"{"color":"green"}"#)).get().color == .green)
    }

    @Test("an error thrown by a custom init(from:) becomes an issue, and siblings are still checked")
    func customInitError() throws {
        let holder = CodableValidator<Holder>()
        let found = try issues(holder, #"{"strange":{"value":13},"after":5}"#)
        #expect(summary(found) == ["payload.strange: custom", "payload.after: invalid_type"])
        #expect(found[0].message == "13 is unlucky")
    }

    @Test("JSONValue fields take any JSON; dictionaries decode every key")
    func freeform() throws {
        let validator = CodableValidator<Freeform>()
        let decoded = try validator.validate(try JSON.parse(#"{"kind":"k","data":{"any":[1,{"x":null}]},"labels":{"a":1,"b":2}}"#)).get()
        #expect(decoded.data == ["any": [1, ["x": nil]]])
        #expect(decoded.labels == ["a": 1, "b": 2])
        #expect(summary(try issues(validator, #"{"kind":"k","data":null,"labels":{"a":"x"}}"#)) == ["payload.labels.a: invalid_type"])
    }

    @Test("top-level primitives and arrays validate too")
    func primitives() throws {
        #expect(try CodableValidator<String>().validate("x").get() == "x")
        #expect(summary(try issues(CodableValidator<Int>(), "1.5")) == ["payload: not_integer"])
        #expect(summary(try issues(CodableValidator<[Int]>(), "[1,\"a\"]")) == ["payload[1]: invalid_type"])
    }

    @Test("encoding produces the same JSON the validator accepts, keys in declaration order")
    func encodeRoundTrip() throws {
        let value = Profile(name: "Ann", age: 30, score: 4.5, active: true, address: Address(city: "Oslo", zip: nil), tags: ["a"], nickname: "A")
        let json = try profile.encode(value)
        #expect(JSON.serialize(json) == #"{"name":"Ann","age":30,"score":4.5,"active":true,"address":{"city":"Oslo"},"tags":["a"],"nickname":"A"}"#)
        #expect(try profile.validate(json).get() == value)
    }

    @Test("non-finite numbers cannot be encoded")
    func nonFinite() {
        struct Ratio: Codable, Sendable { var value: Double }
        #expect(throws: EncodingError.self) { try CodableValidator<Ratio>().encode(Ratio(value: .nan)) }
    }

    @Test("hostile mutations of a payload give a typed failure with payload paths, never a crash")
    func fuzz() throws {
        var generator = SplitMix64(seed: 99)
        let base = try JSON.parse(valid)
        let replacements: [JSONValue] = [nil, 1, -1.5, 1e300, "s", true, [], [:], [1, "a"], ["city": 1], [["x": []]]]
        guard case .object(let object) = base else { return }
        var failures = 0
        for _ in 0..<2_000 {
            var mutated = object
            for _ in 0..<3 {
                let key = object.keys[Int(generator.next() % UInt64(object.count))]
                let replacement = replacements[Int(generator.next() % UInt64(replacements.count))]
                mutated[generator.next() % 2 == 0 ? key : key + "x"] = replacement
            }
            if case .failure(let failure) = profile.validate(.object(mutated), at: .payload) {
                failures += 1
                #expect(!failure.issues.isEmpty)
                #expect(failure.issues.allSatisfy { $0.path.description.hasPrefix("payload.") })
            }
        }
        #expect(failures > 1_000)
    }
}

/// A deterministic PRNG for fuzz tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
