import Testing
import WSKitContract

@Suite("JSON serialisation")
struct JSONSerializeTests {
    @Test("compact output, keys in insertion order")
    func compact() {
        let value: JSONValue = ["z": 1, "a": [true, nil, "s"], "m": [:]]
        #expect(JSON.serialize(value) == #"{"z":1,"a":[true,null,"s"],"m":{}}"#)
    }

    @Test("strings escape quote, backslash and every control character; other text stays UTF-8")
    func escaping() {
        #expect(JSON.serialize("a\"b\\c") == #""a\"b\\c""#)
        #expect(JSON.serialize("\n\r\t\u{8}\u{C}") == #""\n\r\t\b\f""#)
        #expect(JSON.serialize("\u{0}\u{1}\u{1F}") == #""\u0000\u0001\u001f""#)
        #expect(JSON.serialize("é/😀\u{7F}") == "\"é/😀\u{7F}\"")
    }

    @Test("numbers: integers without fraction, shortest round-trip otherwise, non-finite as null", arguments: [
        (0.0, "0"), (-0.0, "0"), (42, "42"), (-7, "-7"), (1.5, "1.5"), (0.1, "0.1"), (9007199254740992, "9007199254740992"),
        (1e21, "1e+21"), (1e-7, "1e-07"), (123456.789, "123456.789"), (.nan, "null"), (.infinity, "null"), (-.infinity, "null"),
    ])
    func numbers(number: Double, text: String) {
        #expect(JSON.serialize(.number(number)) == text)
    }

    @Test("serialise then parse gives back the same value for random documents")
    func roundTrip() throws {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<500 {
            let value = randomValue(&generator, depth: 0)
            let text = JSON.serialize(value)
            #expect(try JSON.parse(text, limits: .unlimited) == value, "\(text)")
        }
    }

    @Test("serialize(into:) appends to existing bytes")
    func appends() {
        var bytes: [UInt8] = Array("x".utf8)
        JSON.serialize([1, 2], into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x[1,2]")
    }

    func randomValue(_ generator: inout SplitMix64, depth: Int) -> JSONValue {
        switch generator.next() % (depth > 3 ? 4 : 6) {
        case 0: return .null
        case 1: return .bool(generator.next() % 2 == 0)
        case 2:
            let bits = generator.next()
            let number = bits % 3 == 0 ? Double(Int64(bitPattern: bits) >> 20) : Double(bitPattern: bits)
            return number.isFinite ? .number(number) : .number(0)
        case 3:
            let scalars: [Unicode.Scalar] = ["a", "\"", "\\", "\n", "\u{0}", "é", "😀", "\u{2028}", "/", "\u{1F}"]
            var string = ""
            for _ in 0..<(generator.next() % 8) { string.unicodeScalars.append(scalars[Int(generator.next() % 10)]) }
            return .string(string)
        case 4:
            return .array((0..<(generator.next() % 4)).map { _ in randomValue(&generator, depth: depth + 1) })
        default:
            var object = JSONObject()
            for index in 0..<(generator.next() % 4) { object["k\(index)\(generator.next() % 3)"] = randomValue(&generator, depth: depth + 1) }
            return .object(object)
        }
    }
}
