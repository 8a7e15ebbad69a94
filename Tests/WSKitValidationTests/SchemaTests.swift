import Testing
import WSKitContract
import WSKitValidation

@Suite("Schema DSL")
struct SchemaTests {
    let sendText = Schema.object([
        "text": .string(length: 1...20),
        "limit": .optional(.integer(range: 1...500)),
        "tags": .array(.string.pattern("^[a-z]+$"), count: ...2),
        "order": .oneOf(["asc", "desc"]),
        "meta": .object(["source": .string], strict: false),
    ])

    @Test("valid input is returned unchanged")
    func valid() throws {
        let input = try JSON.parse(#"{"text":"hi","tags":["a"],"order":"asc","meta":{"source":"web"}}"#)
        #expect(try sendText.validator().validate(input).get() == input)
    }

    @Test("strict objects reject unknown keys; non-strict ones drop them from the output")
    func strictness() throws {
        let input = try JSON.parse(#"{"text":"hi","tags":[],"order":"asc","meta":{"source":"web","extra":1},"admin":true}"#)
        #expect(summary(try issues(sendText.validator(), JSON.serialize(input))) == ["payload.admin: unrecognized_key"])
        var lenient = input.objectValue!
        lenient["admin"] = nil
        let output = try sendText.validator().validate(.object(lenient)).get()
        #expect(output["meta"] == ["source": "web"])
    }

    @Test("each rule reports its path, code and message")
    func rules() throws {
        let found = try issues(sendText.validator(), #"{"text":"","limit":0.5,"tags":["ok","BAD","x"],"order":"up","meta":{}}"#)
        #expect(summary(found) == [
            "payload.text: too_small", "payload.limit: not_integer", "payload.tags[1]: invalid_string",
            "payload.tags: too_big", "payload.order: invalid_enum_value", "payload.meta.source: required",
        ])
        #expect(found[0].message == "must contain at least 1 character")
        #expect(found[3].message == "must contain at most 2 elements")
    }

    @Test("optional accepts null and absence, but not the wrong type")
    func optional() throws {
        let schema = Schema.object(["n": .optional(.number)])
        #expect(try issues(schema.validator(), #"{}"#).isEmpty)
        #expect(try issues(schema.validator(), #"{"n":null}"#).isEmpty)
        #expect(summary(try issues(schema.validator(), #"{"n":"1"}"#)) == ["payload.n: invalid_type"])
    }

    @Test("scalars, literal, record, any and null")
    func kinds() throws {
        let schema = Schema.object([
            "kind": .literal("chat"), "flag": .boolean, "ratio": .number(range: 0.0...1.0),
            "counts": .record(.integer), "data": .any, "gone": .null,
        ])
        let found = try issues(schema.validator(), #"{"kind":"CHAT","flag":1,"ratio":2,"counts":{"a":1,"b":"x"},"gone":0}"#)
        #expect(summary(found) == [
            "payload.kind: invalid_literal", "payload.flag: invalid_type", "payload.ratio: too_big",
            "payload.counts.b: invalid_type", "payload.data: required", "payload.gone: invalid_type",
        ])
        #expect(try issues(schema.validator(), #"{"kind":"chat","flag":true,"ratio":1,"counts":{},"data":null,"gone":null}"#).isEmpty)
    }

    @Test("refinements run only when the value passed its other checks")
    func refine() throws {
        let even = Schema.integer.refine("must be even") { ($0.intValue ?? 1) % 2 == 0 }
        let schema = Schema.object(["n": even])
        #expect(try issues(schema.validator(), #"{"n":4}"#).isEmpty)
        let odd = try issues(schema.validator(), #"{"n":3}"#)
        #expect(summary(odd) == ["payload.n: custom"])
        #expect(odd.first?.message == "must be even")
        #expect(summary(try issues(schema.validator(), #"{"n":"x"}"#)) == ["payload.n: invalid_type"])
    }

    @Test("a schema maps into a typed output through a closure, or through Codable")
    func typedOutput() throws {
        struct Note: Codable, Sendable, Equatable { var text: String }
        let schema = Schema.object(["text": .string(length: 1...5)])
        let closure = SchemaValidator<Note>(schema, decode: { Note(text: $0["text"]!.stringValue!) },
                                            encode: { ["text": .string($0.text)] })
        #expect(try closure.validate(["text": "hey"]).get() == Note(text: "hey"))
        #expect(try closure.encode(Note(text: "a")) == ["text": "a"])
        let codable = SchemaValidator(schema, as: Note.self)
        #expect(try codable.validate(["text": "hey"]).get() == Note(text: "hey"))
        #expect(summary(try issues(codable, #"{"text":"toolong"}"#)) == ["payload.text: too_big"])
        #expect(try codable.encode(Note(text: "b")) == ["text": "b"])
    }

    @Test("an error thrown by the mapping closure becomes a custom issue")
    func mappingError() throws {
        struct Boom: Error {}
        let validator = SchemaValidator<Int>(.any, decode: { _ in throw Boom() }, encode: { .number(Double($0)) })
        #expect(summary(try issues(validator, "1")) == ["payload: custom"])
    }

    @Test("large objects (declared-key set) behave like small ones")
    func largeObject() throws {
        let schema = Schema.object(KeyValuePairs(dictionaryLiteral: ("f0", .integer), ("f1", .integer), ("f2", .integer),
                                                 ("f3", .integer), ("f4", .integer), ("f5", .integer), ("f6", .integer),
                                                 ("f7", .integer), ("f8", .integer), ("last", .string)))
        let object = (0..<9).map { "\"f\($0)\":\($0)" }.joined(separator: ",")
        #expect(try issues(schema.validator(), "{\(object),\"last\":\"x\"}").isEmpty)
        #expect(summary(try issues(schema.validator(), "{\(object),\"last\":\"x\",\"zz\":1}")) == ["payload.zz: unrecognized_key"])
    }
}
