import Testing
@testable import WSKitProtocol

/// FIPS 180-2 / RFC 3174 §7.3 test vectors.
@Suite("RFC 3174 — SHA-1")
struct RFC3174_SHA1Tests {
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    @Test("\"abc\" hashes to a9993e36…9cd0d89d")
    func abc() {
        #expect(Self.hex(SHA1.hash(utf8: "abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d")
    }

    @Test("the empty message hashes to da39a3ee…afd80709")
    func empty() {
        #expect(Self.hex(SHA1.hash([UInt8]())) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
    }

    @Test("the 448-bit two-block message hashes to 84983e44…e54670f1")
    func twoBlock() {
        let message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(Self.hex(SHA1.hash(utf8: message)) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
    }

    @Test("one million 'a' hash to 34aa973c…6534016f")
    func millionA() {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(Self.hex(SHA1.hash(message)) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    @Test("feeding a message in uneven pieces gives the one-shot digest", arguments: [1, 3, 55, 56, 63, 64, 65, 127])
    func incremental(pieceSize: Int) {
        let message = (0 ..< 1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var hasher = SHA1()
        var index = 0
        while index < message.count {
            let end = min(index + pieceSize, message.count)
            hasher.update(message[index ..< end])
            index = end
        }
        #expect(hasher.finalize() == SHA1.hash(message))
    }

    @Test("messages whose padding straddles a block boundary (55, 56, 64 bytes)")
    func paddingBoundaries() {
        // Digests from `printf 'a%.0s' {1..N} | sha1sum`.
        let a55 = [UInt8](repeating: UInt8(ascii: "a"), count: 55)
        let a56 = [UInt8](repeating: UInt8(ascii: "a"), count: 56)
        let a64 = [UInt8](repeating: UInt8(ascii: "a"), count: 64)
        #expect(Self.hex(SHA1.hash(a55)) == "c1c8bbdc22796e28c0e15163d20899b65621d65a")
        #expect(Self.hex(SHA1.hash(a56)) == "c2db330f6083854c99d4b5bfb6e8f29f201be699")
        #expect(Self.hex(SHA1.hash(a64)) == "0098ba824b5c16427bd7a1122a5a442a25ec644d")
    }

    @Test("finalize leaves the hasher usable for more input")
    func finalizeIsNonDestructive() {
        var hasher = SHA1()
        hasher.update(utf8: "ab")
        _ = hasher.finalize()
        hasher.update(utf8: "c")
        #expect(Self.hex(hasher.finalize()) == "a9993e364706816aba3e25717850c26c9cd0d89d")
    }
}
