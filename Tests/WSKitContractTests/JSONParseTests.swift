import Testing
import WSKitContract

/// Parses `text` and returns the error kind, or `nil` when it parsed.
func parseErrorKind(_ text: String, limits: JSONLimits = .default) -> JSONParseError.Kind? {
    do {
        _ = try JSON.parse(text, limits: limits)
        return nil
    } catch {
        return error.kind
    }
}

func parseErrorKind(bytes: [UInt8], limits: JSONLimits = .default) -> JSONParseError.Kind? {
    do {
        _ = try JSON.parse(bytes, limits: limits)
        return nil
    } catch {
        return error.kind
    }
}

@Suite("JSON parsing")
struct JSONParseTests {
    @Test("parses every RFC 8259 value kind, keeping object key order")
    func valueKinds() throws {
        let value = try JSON.parse(#"{"b":[1,-2.5,true,false,null,"x"],"a":{}}"#)
        #expect(value == ["b": [1, -2.5, true, false, nil, "x"], "a": [:]])
        #expect(value.objectValue?.keys == ["b", "a"])
    }

    @Test("scalars are valid JSON texts on their own, surrounded by any RFC whitespace")
    func scalarRoots() throws {
        #expect(try JSON.parse(" \t\r\n42 \n") == 42)
        #expect(try JSON.parse("\"x\"") == "x")
        #expect(try JSON.parse("null") == .null)
        #expect(try JSON.parse("true") == true)
    }

    @Test("numbers follow the RFC grammar and convert exactly", arguments: [
        ("0", 0.0), ("-0", -0.0), ("7", 7), ("-12", -12), ("1.5", 1.5), ("0.1", 0.1), ("1e3", 1000),
        ("1E+3", 1000), ("2.5e-3", 0.0025), ("123456789012345678", 123456789012345680),
        ("9007199254740993", 9007199254740992), ("0.000001", 0.000001), ("1.7976931348623157e308", 1.7976931348623157e308),
        ("5e-324", .leastNonzeroMagnitude), ("1e-400", 0), ("3.141592653589793238462643383279", 3.141592653589793),
        ("100000000000000000000000000000", 1e29),
    ])
    func numbers(text: String, expected: Double) throws {
        let value = try JSON.parse(text)
        #expect(value == .number(expected))
        #expect(value.doubleValue?.sign == expected.sign)
    }

    @Test("random decimal texts convert to the same double as the standard library's correctly rounded parser")
    func numberRounding() throws {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<5_000 {
            var text = generator.next() % 2 == 0 ? "-" : ""
            let integerDigits = 1 + Int(generator.next() % 20)
            text += String(1 + generator.next() % 9)
            for _ in 1..<integerDigits { text += String(generator.next() % 10) }
            if generator.next() % 2 == 0 {
                text += "."
                for _ in 0...(generator.next() % 20) { text += String(generator.next() % 10) }
            }
            if generator.next() % 2 == 0 { text += "e\(Int(generator.next() % 600) - 300)" }
            let expected = Double(text)!
            if expected.isFinite {
                #expect(try JSON.parse(text) == .number(expected), "\(text)")
            }
        }
    }

    @Test("malformed numbers are rejected", arguments: ["01", "-", "1.", ".5", "+1", "1e", "1e+", "--1", "1.e3", "-.5", "0x10", "1_000", "NaN", "Infinity", "-Infinity"])
    func badNumbers(text: String) {
        let kind = parseErrorKind(text)
        #expect(kind != nil, "\(text) should not parse")
    }

    @Test("numbers beyond the double range are an error, not infinity")
    func hugeNumber() {
        #expect(parseErrorKind("1e400") == .numberOutOfRange)
        #expect(parseErrorKind("-1e400") == .numberOutOfRange)
    }

    @Test("every RFC escape decodes", arguments: [
        (#""\"""#, "\""), (#""\\""#, "\\"), (#""\/""#, "/"), (#""\b""#, "\u{8}"), (#""\f""#, "\u{C}"),
        (#""\n""#, "\n"), (#""\r""#, "\r"), (#""\t""#, "\t"), (#""\u00e9""#, "é"), (#""\u00E9x""#, "éx"),
        (#""a\u0000b""#, "a\u{0}b"), (#""\ud83d\ude00""#, "😀"), (#""x\uD834\uDD1Ey""#, "x𝄞y"), (#""é\n☃""#, "é\n☃"),
    ])
    func escapes(text: String, expected: String) throws {
        #expect(try JSON.parse(text) == .string(expected))
    }

    @Test("lone or malformed surrogates and bad escapes are typed errors", arguments: [
        (#""\ud83d""#, JSONParseError.Kind.invalidUnicodeEscape), (#""\ud83dx""#, .invalidUnicodeEscape),
        (#""\ude00""#, .invalidUnicodeEscape), (#""\ud83d\u0041""#, .invalidUnicodeEscape), (#""\u12g4""#, .invalidUnicodeEscape),
        (#""\x41""#, .invalidEscape), (#""\'""#, .invalidEscape), (#""\u12"#, .unexpectedEnd),
    ])
    func badEscapes(text: String, kind: JSONParseError.Kind) {
        #expect(parseErrorKind(text) == kind)
    }

    @Test("raw control characters inside strings are rejected")
    func controlCharacters() {
        #expect(parseErrorKind("\"a\nb\"") == .controlCharacterInString)
        #expect(parseErrorKind("\"a\u{1}b\"") == .controlCharacterInString)
        #expect(parseErrorKind("\"a\\n\u{1F}\"") == .controlCharacterInString)
    }

    @Test("ill-formed UTF-8 is rejected; well-formed multi-byte text is kept", arguments: [
        [0x22, 0xC0, 0x80, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22],
        [0x22, 0xE2, 0x82, 0x22], [0x22, 0x80, 0x22], [0x22, 0xF0, 0x82, 0x82, 0xAC, 0x22], [0x22, 0xFF, 0x22],
        [0x22, 0x5C, 0x6E, 0xC3, 0x22],
    ] as [[UInt8]])
    func invalidUTF8(bytes: [UInt8]) {
        #expect(parseErrorKind(bytes: bytes) == .invalidUTF8)
    }

    @Test("valid multi-byte UTF-8 in strings and keys")
    func validUTF8() throws {
        let value = try JSON.parse(Array(#"{"ключ":"значение 🎉 €"}"#.utf8))
        #expect(value["ключ"] == "значение 🎉 €")
    }

    @Test("bytes outside strings must be JSON structure", arguments: ["{\"a\":1,}", "[1,]", "[1 2]", "{\"a\" 1}", "{a:1}", "{'a':1}", "// c\n1", "[", "{", "{\"a\":", "tru", "nul", "\u{FEFF}1", "[1]]", "{} {}"])
    func structuralErrors(text: String) {
        #expect(parseErrorKind(text) != nil, "\(text) should not parse")
    }

    @Test("empty and whitespace-only input")
    func empty() {
        #expect(parseErrorKind("") == .empty)
        #expect(parseErrorKind("  \n ") == .empty)
    }

    @Test("data after the root value is an error")
    func trailingData() {
        #expect(parseErrorKind("1 2") == .trailingData)
        #expect(parseErrorKind("{}x") == .trailingData)
    }

    @Test("duplicate keys are rejected, in small and large objects")
    func duplicateKeys() {
        #expect(parseErrorKind(#"{"a":1,"a":2}"#) == .duplicateKey("a"))
        let many = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        #expect(parseErrorKind("{\(many)}") == nil)
        #expect(parseErrorKind("{\(many),\"k3\":0}") == .duplicateKey("k3"))
        #expect(parseErrorKind("{\(many),\"k39\":0}") == .duplicateKey("k39"))
        // Keys equal after unescaping are the same key, whichever spelling comes first.
        #expect(parseErrorKind(#"{"a":1,"\u0061":2}"#) == .duplicateKey("a"))
        #expect(parseErrorKind(#"{"\u0061b":1,"ab":2}"#) == .duplicateKey("ab"))
        #expect(parseErrorKind("{\(many),\"\\u006b7\":0}") == .duplicateKey("k7"))
        // Different keys of the same length and first and last letters are not duplicates.
        #expect(parseErrorKind(#"{"abc":1,"axc":2,"ayc":3}"#) == nil)
    }

    @Test("limits on size, depth, strings and container counts are enforced")
    func limits() {
        var limits = JSONLimits.default
        limits.maxBytes = 10
        #expect(parseErrorKind("[1,2,3,4,5,6]", limits: limits) == .inputTooLarge(limit: 10))
        limits = .default
        limits.maxDepth = 3
        #expect(parseErrorKind("[[[1]]]", limits: limits) == nil)
        #expect(parseErrorKind("[[[[1]]]]", limits: limits) == .depthLimitExceeded(limit: 3))
        #expect(parseErrorKind(#"{"a":{"b":{"c":{}}}}"#, limits: limits) == .depthLimitExceeded(limit: 3))
        limits = .default
        limits.maxStringBytes = 4
        #expect(parseErrorKind(#""abcd""#, limits: limits) == nil)
        #expect(parseErrorKind(#""abcde""#, limits: limits) == .stringTooLong(limit: 4))
        #expect(parseErrorKind(#""ab\ncde""#, limits: limits) == .stringTooLong(limit: 4))
        limits = .default
        limits.maxContainerCount = 3
        #expect(parseErrorKind("[1,2,3]", limits: limits) == nil)
        #expect(parseErrorKind("[1,2,3,4]", limits: limits) == .tooManyElements(limit: 3))
        #expect(parseErrorKind(#"{"a":1,"b":2,"c":3,"d":4}"#, limits: limits) == .tooManyElements(limit: 3))
    }

    @Test("default depth limit stops deeply nested input without exhausting the stack")
    func deepNesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        var limits = JSONLimits.default
        limits.maxBytes = .max
        #expect(parseErrorKind(deep, limits: limits) == .depthLimitExceeded(limit: 64))
    }

    @Test("errors report the byte offset where parsing failed")
    func offsets() {
        do {
            _ = try JSON.parse(#"{"a": tru}"#)
            Issue.record("should fail")
        } catch {
            #expect(error.offset == 9)
            #expect(error.description.contains("byte 9"))
        }
    }

    @Test("arbitrary mutations of valid JSON never crash: each parses or throws a typed error")
    func mutationFuzz() {
        var generator = SplitMix64(seed: 0xC0FFEE)
        let seeds = [
            #"{"type":"CHAT","meta":{"correlationId":"abc","timeoutMs":100},"payload":{"text":"h\u00e9llo","n":[1,2.5e3,-0]}}"#,
            #"[true,false,null,"\ud83d\ude00",{"a":{"b":[]}}]"#,
        ].map { Array($0.utf8) }
        let alphabet: [UInt8] = Array(#"{}[]",:\ u0123456789abcdefABCDEF.-+eEtrufalsn"#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xED, 0xF4, 0xFF]
        var parsed = 0
        for iteration in 0..<20_000 {
            var bytes = seeds[iteration % seeds.count]
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let position = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 3 {
                case 0: bytes[position] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: position)
                default: bytes.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: position)
                }
                if bytes.isEmpty { bytes = [0x20] }
            }
            if parseErrorKind(bytes: bytes) == nil { parsed += 1 }
        }
        // Some mutations stay valid, most do not; both paths ran.
        #expect(parsed > 0 && parsed < 20_000)
    }
}

/// A small deterministic PRNG for fuzz tests.
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
