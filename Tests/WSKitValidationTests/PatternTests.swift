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

@Suite("Validation benchmark")
struct BenchmarkSmokeTests {
    @Test("the micro-benchmark runs every stage and reports positive costs")
    func runs() {
        let report = ValidationBenchmark.run(iterations: 200)
        #expect(report.envelopeParseNs > 0 && report.codableNs > 0 && report.codableConstrainedNs > 0)
        #expect(report.schemaNs > 0 && report.envelopeSerializeNs > 0)
        #expect(report.description.contains("schema validate"))
    }
}
