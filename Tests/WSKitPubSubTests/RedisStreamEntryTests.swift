import Testing
@testable import WSKitPubSubRedis

/// How a history entry kept in Redis (`"<offset> <time ms> <encoded message>"`) is read back:
/// in place, and anything malformed is refused rather than misread.
@Suite struct RedisStreamEntryTests {
    @Test func anEntryIsReadInPlace() throws {
        let bytes = Array("42 1765000000123 WSK\u{1}rest with spaces".utf8)
        let entry = try #require(RedisStreamScripts.entry(bytes))
        #expect(entry.offset == 42)
        #expect(entry.timeMs == 1_765_000_000_123)
        #expect(Array(entry.message) == Array("WSK\u{1}rest with spaces".utf8))
        #expect(entry.message.startIndex == 17)   // a view of the reply's bytes, not a copy
    }

    @Test(arguments: ["", "42", "42 17", "x 17 m", "42 -1 m", "-3 17 m", " 17 m", "42  m", "18446744073709551616 17 m"])
    func aMalformedEntryIsRefused(text: String) {
        #expect(RedisStreamScripts.entry(Array(text.utf8)) == nil)
    }

    @Test func offsetsUseAllSixtyFourBits() throws {
        let entry = try #require(RedisStreamScripts.entry(Array("18446744073709551615 0 m".utf8)))
        #expect(entry.offset == .max)
        #expect(RedisStreamScripts.decimal(Array("9223372036854775808".utf8)[...], as: Int64.self) == nil)
        #expect(RedisStreamScripts.decimal(Array("9223372036854775807".utf8)[...], as: Int64.self) == .max)
    }
}
