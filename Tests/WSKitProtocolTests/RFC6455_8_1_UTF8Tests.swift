import Testing
@testable import WSKitProtocol

/// RFC 6455 §8.1: text messages must be valid UTF-8, checked incrementally and failed fast.
@Suite("RFC 6455 §8.1 UTF-8 handling")
struct RFC6455_8_1_UTF8Tests {
    // MARK: Reference

    /// Strict validity per the standard library's UTF-8 decoder.
    static func referenceValid(_ bytes: [UInt8]) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// Whether some continuation makes `prefix` valid (completions of up to 3 bytes drawn from the
    /// boundary values of the continuation ranges).
    static func viable(_ prefix: [UInt8]) -> Bool {
        if referenceValid(prefix) { return true }
        let candidates: [UInt8] = [0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF]
        for a in candidates {
            if referenceValid(prefix + [a]) { return true }
            for b in candidates {
                if referenceValid(prefix + [a, b]) { return true }
                for c in candidates where referenceValid(prefix + [a, b, c]) { return true }
            }
        }
        return false
    }

    /// The index of the first byte after which `bytes` can no longer become valid, or nil.
    static func referenceFailureIndex(_ bytes: [UInt8]) -> Int? {
        (0 ..< bytes.count).first { !viable(Array(bytes[...$0])) }
    }

    /// The index of the byte at which the validator, fed one byte at a time, first fails.
    static func validatorFailureIndex(_ bytes: [UInt8]) -> Int? {
        var validator = UTF8Validator()
        for (index, byte) in bytes.enumerated() where ![byte].withUnsafeBytes({ validator.validate($0) }) {
            return index
        }
        return nil
    }

    static func isValid(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { UTF8Validator.isValid($0) } }

    // MARK: The validator

    @Test("known sequences", arguments: [
        ([], true),
        (Array("κόσμε".utf8), true),
        ([0xF0, 0x9F, 0x98, 0x80], true),          // U+1F600
        ([0xF4, 0x8F, 0xBF, 0xBF], true),          // U+10FFFF
        ([0xEF, 0xBF, 0xBF], true),                // U+FFFF
        ([0xED, 0x9F, 0xBF], true),                // U+D7FF
        ([0xEE, 0x80, 0x80], true),                // U+E000
        ([0xC0, 0x80], false),                     // overlong NUL
        ([0xC1, 0xBF], false),                     // overlong
        ([0xE0, 0x9F, 0xBF], false),               // overlong 3-byte
        ([0xF0, 0x8F, 0xBF, 0xBF], false),         // overlong 4-byte
        ([0xED, 0xA0, 0x80], false),               // surrogate U+D800
        ([0xED, 0xBF, 0xBF], false),               // surrogate U+DFFF
        ([0xF4, 0x90, 0x80, 0x80], false),         // U+110000
        ([0xF5, 0x80, 0x80, 0x80], false),
        ([0xFF], false),
        ([0x80], false),                           // stray continuation
        ([0xCE, 0xBA, 0xE1, 0xBD], false),         // truncated at the end
        ([0xE2, 0x82], false),
    ] as [([UInt8], Bool)])
    func knownSequences(bytes: [UInt8], valid: Bool) {
        #expect(Self.isValid(bytes) == valid)
        #expect(Self.referenceValid(bytes) == valid, "the reference agrees")
    }

    @Test("it fails at the first byte that can never become valid", arguments: [
        ([0xF4, 0x90], 1), ([0xED, 0xA0], 1), ([0xE0, 0x80], 1), ([0xF0, 0x80], 1), ([0xC0], 0), ([0xC1], 0),
        ([0xF5], 0), ([0x80], 0), ([0x41, 0xC3, 0x41], 2), ([0xE2, 0x82, 0xE2], 2),
    ] as [([UInt8], Int)])
    func failFast(bytes: [UInt8], index: Int) {
        #expect(Self.validatorFailureIndex(bytes) == index)
        #expect(Self.referenceFailureIndex(bytes) == index)
    }

    @Test("random byte strings: validity and failure position match the reference")
    func randomAgreement() {
        var rng = SeededGenerator(state: 6455)
        let pool: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
                             0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF]
        for _ in 0 ..< 3000 {
            let length = Int.random(in: 0 ... 8, using: &rng)
            let bytes = (0 ..< length).map { _ in pool.randomElement(using: &rng)! }
            #expect(Self.isValid(bytes) == Self.referenceValid(bytes), "\(bytes)")
            #expect(Self.validatorFailureIndex(bytes) == Self.referenceFailureIndex(bytes), "\(bytes)")
        }
    }

    @Test("random mostly-ASCII strings through the word-at-a-time path, whole and in two chunks, match the reference")
    func randomLongAgreement() {
        var rng = SeededGenerator(state: 2011)
        let pool: [UInt8] = [0x80, 0xA0, 0xBF, 0xC2, 0xC3, 0xE0, 0xE2, 0xED, 0xF0, 0xF4, 0xFF]
        for _ in 0 ..< 3000 {
            let length = Int.random(in: 0 ... 48, using: &rng)
            let bytes = (0 ..< length).map { _ in
                Int.random(in: 0 ..< 10, using: &rng) < 8 ? UInt8.random(in: 0x20 ... 0x7E, using: &rng) : pool.randomElement(using: &rng)!
            }
            let expected = Self.referenceValid(bytes)
            #expect(Self.isValid(bytes) == expected, "\(bytes)")
            let split = Int.random(in: 0 ... length, using: &rng)
            var validator = UTF8Validator()
            let chunked = bytes[..<split].withUnsafeBytes { validator.validate($0) }
                && bytes[split...].withUnsafeBytes { validator.validate($0) } && validator.isComplete
            #expect(chunked == expected, "\(bytes) split at \(split)")
        }
    }

    @Test("the word-at-a-time ASCII path catches a bad byte at any position")
    func asciiFastPath() {
        for position in 0 ..< 70 {
            var bytes = [UInt8](repeating: 0x61, count: 70)
            bytes[position] = 0xFF
            #expect(!Self.isValid(bytes), "bad byte at \(position)")
            bytes[position] = 0xC3
            if position + 1 < bytes.count {
                bytes[position + 1] = 0xA9  // "é" mid-ASCII
                #expect(Self.isValid(bytes), "é at \(position)")
            } else {
                #expect(!Self.isValid(bytes), "truncated é at the end")
            }
        }
    }

    @Test("validating in chunks at every split point equals validating at once")
    func chunkedValidation() {
        let text = Array("aé€😀 plain ascii and κόσμε".utf8)
        for split in 0 ... text.count {
            var validator = UTF8Validator()
            let first = text[..<split].withUnsafeBytes { validator.validate($0) }
            let second = text[split...].withUnsafeBytes { validator.validate($0) }
            #expect(first && second && validator.isComplete, "split at \(split)")
        }
    }

    @Test("a failed validator stays failed; reset starts over")
    func stickyFailure() {
        var validator = UTF8Validator()
        #expect(![UInt8]([0xC0]).withUnsafeBytes { validator.validate($0) })
        #expect(![UInt8]([0x41]).withUnsafeBytes { validator.validate($0) })
        #expect(validator.hasFailed)
        validator.reset()
        #expect([UInt8]([0x41]).withUnsafeBytes { validator.validate($0) } && validator.isComplete)
    }

    // MARK: In the engine

    @Test("a text message with invalid UTF-8 fails with 1007")
    func invalidText() {
        var server = EngineHarness.server()
        #expect(server.feed(clientFrame(.text, [0x48, 0xC0, 0x80])) == [.failure(1007)])
        #expect(server.takeOutput() == EngineHarness.failureClose(server.errors[0]))
    }

    @Test("a bad byte in a later fragment fails as soon as that fragment arrives, before the final one")
    func badByteInLaterFragment() {
        var server = EngineHarness.server()
        #expect(server.feed(clientFrame(.text, "κό", fin: false)) == [])
        #expect(server.feed(clientFrame(.continuation, [0x73, 0xED, 0xA0, 0x80], fin: false)) == [.failure(1007)])
        #expect(EngineHarness.closeCode(in: server.takeOutput()) == 1007)
    }

    @Test("a sequence that cannot be completed fails at the fragment boundary where it breaks")
    func impossibleAcrossFragments() {
        var server = EngineHarness.server()
        #expect(server.feed(clientFrame(.text, [0x61, 0xF4], fin: false)) == [])
        #expect(server.feed(clientFrame(.continuation, [0x90], fin: false)) == [.failure(1007)])
    }

    @Test("a bad byte fails a single frame while the rest of it is still in flight")
    func failsInsidePartialFrame() {
        var server = EngineHarness.server()
        let bytes = clientFrame(.text, [0x61, 0x62, 0xFF] + [UInt8](repeating: 0x61, count: 1000))
        #expect(server.feed(Array(bytes[..<(8 + 3)])) == [.failure(1007)])
    }

    @Test("a code point split across reads inside one frame is valid")
    func splitCodePointAcrossReads() {
        let bytes = clientFrame(.text, "a€b")  // € is E2 82 AC, at payload bytes 1...3
        for split in 1 ..< bytes.count {  // in the header, the key, and between every payload byte
            var server = EngineHarness.server()
            #expect(server.feed(reads: [Array(bytes[..<split]), Array(bytes[split...])]) == [.text("a€b")], "split at \(split)")
        }
    }

    @Test("a code point split across fragments is valid")
    func splitCodePointAcrossFragments() {
        var server = EngineHarness.server()
        let bytes = clientFrame(.text, [0xF0, 0x9F], fin: false) + clientFrame(.continuation, [0x98], fin: false)
            + clientFrame(.continuation, [0x80])
        #expect(server.feed(bytes, chunkSize: 1) == [.text("😀")])
    }

    @Test("a message that ends inside a code point fails with 1007", arguments: [true, false])
    func truncatedAtEnd(fragmented: Bool) {
        var server = EngineHarness.server()
        let bytes = fragmented
            ? clientFrame(.text, "ok", fin: false) + clientFrame(.continuation, [0xE2, 0x82])
            : clientFrame(.text, [0x6F, 0x6B, 0xE2, 0x82])
        #expect(server.feed(bytes) == [.failure(1007)])
    }
}
