import Testing
@testable import WSKitProtocol

@Suite("RFC 4648 — Base64")
struct RFC4648_Base64Tests {
    /// RFC 4648 §10 test vectors.
    static let vectors: [(String, String)] = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ]

    @Test("§10 vectors encode", arguments: vectors)
    func encode(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
    }

    @Test("§10 vectors decode", arguments: vectors)
    func decode(plain: String, encoded: String) {
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test("every byte value round-trips, using both 62 '+' and 63 '/'")
    func allBytes() {
        let bytes = (0 ... 255).map { UInt8($0) }
        let encoded = Base64.encode(bytes)
        #expect(encoded.contains("+") && encoded.contains("/"))
        #expect(Base64.decode(encoded) == bytes)
        #expect(Base64.encode([0xFB, 0xFF]) == "+/8=")
    }

    @Test("non-canonical or malformed input is rejected", arguments: [
        "Zg",       // missing padding (§3.2)
        "Zg=",      // length not a multiple of 4
        "Zm9v=",    // length not a multiple of 4
        "Z===",     // too much padding
        "====",
        "Zg==Zg==", // padding in the middle
        "Zm=v",     // '=' before data
        "Zh==",     // non-zero pad bits (§3.5)
        "Zm9=",     // non-zero pad bits
        "Zm9v\n",   // line break
        " Zm9v",    // whitespace
        "Zm9-",     // URL-safe alphabet is not accepted
        "Zm9_",
        "Zm9ü",
    ])
    func rejects(_ text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test("encodedLength is 4 * ceil(n / 3)")
    func encodedLength() {
        #expect(Base64.encodedLength(of: 0) == 0)
        #expect(Base64.encodedLength(of: 1) == 4)
        #expect(Base64.encodedLength(of: 16) == 24)
        #expect(Base64.encodedLength(of: 20) == 28)
    }
}
