import Testing
import WSKitContract
@testable import WSKitValidation

@Suite("Patterns")
struct PatternTests {
    static let patterns = [
        "^[a-z]+$", "^[a-z0-9-]+$", "^[A-Z]{3}$", "^[A-Z]{2,4}$", "^[0-9]{3,}$",
        "^[a-z_.]*$", "^[-a-z]+$", "^[a-f0-9]{8}$", "^[\\-\\.]+$", "^[ab]$",
    ]
    static let inputs = [
        "", "a", "abc", "ABC", "AB", "ABCDE", "abc-1", "a_b.c", "12", "123", "1234", "123456789", "deadbeef", "DEADBEEF",
        "é", "abcé", "١٢٣٤", "ab_9", "a b", "-", "-.", "ab\n", "\r\n", "😀", "a-", "_", "b", "ab",
    ]

    @Test("the fast character-class matcher agrees with Regex", arguments: patterns)
    func agreesWithRegex(pattern: String) {
        let compiled = CompiledPattern.compiled(pattern)
        #expect(compiled.usesCharacterClassMatcher, "\(pattern) should use the fast matcher")
        for input in Self.inputs {
            #expect(compiled.matches(input) == compiled.regexMatches(input), "/\(pattern)/ on \(input.debugDescription)")
        }
    }

    @Test("other patterns fall back to Regex with search semantics", arguments: ["[0-9]", "^(ab)+$", "^[^a]+$", "^[a-z]+$|^x$", "^[[:alpha:]]+$", "^a.c$", "^[a-z]+", "^\\d{4,8}$", "^\\w+$"])
    func fallback(pattern: String) {
        let compiled = CompiledPattern.compiled(pattern)
        #expect(!compiled.usesCharacterClassMatcher, "\(pattern) should use Regex")
        for input in Self.inputs {
            #expect(compiled.matches(input) == compiled.regexMatches(input))
        }
        #expect(Constraint.pattern("[0-9]").description == "pattern([0-9])")
    }

    @Test("an unanchored pattern matches anywhere, like JavaScript's RegExp.test")
    func searchSemantics() throws {
        let schema = Schema.object(["code": .string(pattern: "[0-9]")])
        #expect(try issues(schema.validator(), #"{"code":"ab1c"}"#).isEmpty)
        #expect(summary(try issues(schema.validator(), #"{"code":"abc"}"#)) == ["payload.code: invalid_string"])
    }
}

@Suite("A typical payload (the contract benchmarks')")
struct TypicalPayloadTests {
    struct Plain: Codable, Sendable, Equatable {
        var text: String
        var roomId: String
        var limit: Int?
        var ratio: Double
        var urgent: Bool
    }

    @Test("plain Codable and Schema accept the 5-field payload wskit-bench measures, with its values")
    func validatesWithEveryValidator() throws {
        let frame = #"{"type":"CHAT","payload":{"text":"hello, world","roomId":"room-1","limit":50,"ratio":0.5,"urgent":true}}"#
        let payload = try #require(try Envelope.parse(Array(frame.utf8)).payload)
        let schema = Schema.object([
            "text": .string(length: 1...2000), "roomId": .string(pattern: "^[a-z0-9-]+$"),
            "limit": .optional(.integer(range: 1...500)), "ratio": .number(range: 0.0...1.0), "urgent": .boolean,
        ])
        guard case .success(let value) = CodableValidator<Plain>().validate(payload, at: .payload) else {
            Issue.record("plain Codable rejected the payload")
            return
        }
        #expect(value == Plain(text: "hello, world", roomId: "room-1", limit: 50, ratio: 0.5, urgent: true))
        guard case .success = schema.validator().validate(payload, at: .payload) else {
            Issue.record("the schema rejected the payload")
            return
        }
    }
}
