import Testing
import WSKitContract
import WSKitValidation

struct Chat: Codable, Sendable, Validatable, Equatable {
    @Length(1...20) var text: String
    @InRange(1...500) var limit: Int?
    @InRange(0.0...1.0) var ratio: Double = 0.5
    @Pattern("^[a-z]+$") var slug: String
    @OneOf(["asc", "desc"]) var order: String
    @Count(1...3) var tags: [String]
    @OneOf([1, 2, 4]) var size: Int = 1
}

struct Tagged: Codable, Sendable, Validatable {
    @Length(2...4, pattern: "^[A-Z]+$") var code: String
    @Length(...3) var note: String?
    @Count(...2) var items: [Entry]?
}

struct Entry: Codable, Sendable, Validatable {
    @Length(1...5) var name: String
}

/// Wrappers on a type that decodes them in its own order (not its declaration order), without
/// `Validatable`: each key still gets its own constraints.
struct OwnOrder: Codable, Sendable {
    @Length(1...2) var text: String
    @Length(1...9) var other: String

    enum CodingKeys: CodingKey { case text, other }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        _other = try container.decode(Length<String>.self, forKey: .other)
        _text = try container.decode(Length<String>.self, forKey: .text)
    }
}

/// Wrappers that cannot be matched to properties without `Validatable`: a property's initial value
/// is a type with wrappers of its own, which declare constraints too.
struct Forgetful: Codable, Sendable {
    @Length(1...2) var text: String
    var entry: Entry = Entry()
}

/// A wrapped property whose key is renamed: constraints cannot be matched, which is reported.
struct Renamed: Codable, Sendable, Validatable {
    @Length(1...3) var text: String
    enum CodingKeys: String, CodingKey { case text = "body" }
}

@Suite("Constraint property wrappers")
struct ConstraintWrapperTests {
    let chat = CodableValidator<Chat>()

    /// A valid payload with `overrides` (a JSON object's members, written `,"key":value`) replacing keys.
    func json(_ overrides: String = "") -> String {
        var object: JSONObject = ["text": "hi", "ratio": 0.5, "slug": "abc", "order": "asc", "tags": ["t"], "size": 1]
        if !overrides.isEmpty, case .object(let changes)? = try? JSON.parse("{" + overrides.dropFirst() + "}") {
            for (key, value) in changes { object[key] = value }
        }
        return JSON.serialize(.object(object))
    }

    @Test("a value inside every constraint passes; absent optionals are nil")
    func passes() throws {
        let decoded = try chat.validate(try JSON.parse(json(#","ratio":1,"size":4"#))).get()
        #expect(decoded.text == "hi")
        #expect(decoded.limit == nil)
        #expect(decoded.ratio == 1)
        #expect(decoded.size == 4)
    }

    @Test("Length: too short and too long, in characters", arguments: [
        (#","text":"""#, "payload.text: too_small", "must contain at least 1 character"),
        (#","text":"123456789012345678901""#, "payload.text: too_big", "must contain at most 20 characters"),
    ])
    func length(override: String, expected: String, message: String) throws {
        let found = try issues(chat, json(override))
        #expect(summary(found) == [expected])
        #expect(found.first?.message == message)
    }

    @Test("Length counts characters, not bytes or code units")
    func lengthCharacters() throws {
        #expect(try issues(chat, json(#","text":"é😀👨‍👩‍👧\r\n""#)).isEmpty)
        #expect(try issues(chat, json(#","text":"ééééééééééééééééééééé""#)).count == 1)
        #expect(try issues(chat, json(#","text":"éééééééééééééééééééé""#)).isEmpty)
        #expect(try issues(chat, json(#","text":"\r\n""#)).isEmpty)
    }

    @Test("InRange: integer and double bounds, optional nil and absent pass", arguments: [
        (#","limit":0"#, "payload.limit: too_small", "must be at least 1"),
        (#","limit":501"#, "payload.limit: too_big", "must be at most 500"),
        (#","ratio":1.5"#, "payload.ratio: too_big", "must be at most 1"),
        (#","ratio":-0.25"#, "payload.ratio: too_small", "must be at least 0"),
    ])
    func range(override: String, expected: String, message: String) throws {
        let found = try issues(chat, json(override))
        #expect(summary(found) == [expected])
        #expect(found.first?.message == message)
    }

    @Test("InRange on an optional: null passes like a missing key")
    func rangeNull() throws {
        #expect(try issues(chat, json(#","limit":null"#)).isEmpty)
        #expect(try chat.validate(try JSON.parse(json(#","limit":500"#))).get().limit == 500)
    }

    @Test("Pattern, OneOf (strings and numbers) and Count")
    func others() throws {
        let found = try issues(chat, json(#","slug":"ABC","order":"up","tags":[],"size":3"#))
        #expect(summary(found) == [
            "payload.slug: invalid_string", "payload.order: invalid_enum_value", "payload.tags: too_small", "payload.size: invalid_enum_value",
        ])
        #expect(found.map(\.message) == [
            "must match pattern /^[a-z]+$/", #"expected one of "asc", "desc"; received "up""#,
            "must contain at least 1 element", "expected one of 1, 2, 4; received 3",
        ])
        #expect(summary(try issues(chat, json(#","tags":["a","b","c","d"]"#))) == ["payload.tags: too_big"])
    }

    @Test("a non-optional wrapped property is required even when it has a Swift default (Codable semantics)")
    func defaultsDoNotMakeKeysOptional() throws {
        let found = try issues(chat, #"{"text":"hi","slug":"abc","order":"asc","tags":["t"]}"#)
        #expect(summary(found) == ["payload.ratio: required", "payload.size: required"])
    }

    @Test("a type error is reported once, without constraint noise")
    func typeBeforeConstraints() throws {
        #expect(summary(try issues(chat, json(#","text":5"#))) == ["payload.text: invalid_type"])
    }

    @Test("combined length and pattern; constraints on nested Validatable types and arrays of them")
    func nested() throws {
        let tagged = CodableValidator<Tagged>()
        let found = try issues(tagged, #"{"code":"abcde","note":"long","items":[{"name":""},{"name":"ok"},{"name":"toolong"}]}"#)
        #expect(summary(found) == [
            "payload.code: too_big", "payload.code: invalid_string", "payload.note: too_big",
            "payload.items[0].name: too_small", "payload.items[2].name: too_big", "payload.items: too_big",
        ])
    }

    @Test("a type that decodes its wrappers out of declaration order still gets each key's constraints")
    func ownOrder() throws {
        let found = try issues(CodableValidator<OwnOrder>(), #"{"text":"abc","other":"123456789"}"#)
        #expect(summary(found) == ["payload.text: too_big"])
    }

    @Test("wrappers that cannot be matched on a type that is not Validatable are reported, never silently skipped")
    func forgottenConformance() throws {
        let found = try issues(CodableValidator<Forgetful>(), #"{"text":"way too long","entry":{"name":"ok"}}"#)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("Validatable") == true)
    }

    @Test("a wrapped property under a renamed key is reported instead of silently unchecked")
    func renamedKey() throws {
        let found = try issues(CodableValidator<Renamed>(), #"{"body":"way too long"}"#)
        #expect(summary(found) == ["payload.body: custom"])
        #expect(found.first?.message.contains("renamed") == true)
    }

    @Test("wrappers encode transparently; nil optionals are omitted")
    func encoding() throws {
        var value = Chat()
        value.text = "hi"
        value.slug = "abc"
        value.order = "desc"
        value.tags = ["x"]
        let json = try chat.encode(value)
        #expect(JSON.serialize(json) == #"{"text":"hi","ratio":0.5,"slug":"abc","order":"desc","tags":["x"],"size":1}"#)
        #expect(try chat.validate(json).get() == value)
        value.limit = 7
        #expect(try chat.encode(value)["limit"] == 7)
    }

    @Test("outgoing validation catches values that break the type's own constraints")
    func outgoing() throws {
        var value = Chat()
        value.text = ""
        value.slug = "abc"
        value.order = "asc"
        value.tags = ["x"]
        #expect(throws: ValidationFailure.self) { try chat.encodeValidated(value, at: .payload) }
    }
}
