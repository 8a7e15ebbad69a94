import Testing
import WSKitRedis

/// Parses everything in `bytes` (fed in one piece) into values.
private func parseAll(_ bytes: [UInt8], limits: RESPLimits = .default) throws(RESPError) -> [RedisValue] {
    var parser = RESPParser(limits: limits)
    parser.append(bytes)
    var values: [RedisValue] = []
    while let value = try parser.next() { values.append(value) }
    return values
}

private func parseError(_ text: String, limits: RESPLimits = .default) -> RESPError? {
    do {
        _ = try parseAll(Array(text.utf8), limits: limits)
        return nil
    } catch {
        return error
    }
}

/// Byte-exact RESP2 and RESP3 samples and the values they must parse to. Built on each use, not
/// a stored global: a `RedisValue` keeps some payloads behind pointers carrying the enum's case
/// in spare bits, which LeakSanitizer does not recognise, so a global alive at exit is reported
/// as a leak (ADR 0097, docs/reliability.md).
private var samples: [(String, RedisValue)] { [
    ("+OK\r\n", .simpleString("OK")),
    ("+\r\n", .simpleString("")),
    ("-ERR unknown command 'FOO'\r\n", .error("ERR unknown command 'FOO'")),
    (":0\r\n", .integer(0)),
    (":-42\r\n", .integer(-42)),
    (":+7\r\n", .integer(7)),
    (":9223372036854775807\r\n", .integer(.max)),
    (":-9223372036854775808\r\n", .integer(.min)),
    ("$5\r\nhello\r\n", bulk("hello")),
    ("$0\r\n\r\n", .bulkString([])),
    ("$4\r\na\r\nb\r\n", .bulkString(Array("a\r\nb".utf8))),
    ("$-1\r\n", .null),
    ("*-1\r\n", .null),
    ("*0\r\n", .array([])),
    ("*3\r\n:1\r\n$3\r\nfoo\r\n*1\r\n+x\r\n", .array([.integer(1), bulk("foo"), .array([.simpleString("x")])])),
    ("*2\r\n$-1\r\n*0\r\n", .array([.null, .array([])])),
    ("_\r\n", .null),
    (",3.25\r\n", .double(3.25)),
    (",-1e10\r\n", .double(-1e10)),
    (",inf\r\n", .double(.infinity)),
    (",-inf\r\n", .double(-.infinity)),
    ("#t\r\n", .boolean(true)),
    ("#f\r\n", .boolean(false)),
    ("(3492890328409238509324850943850943825024385\r\n", .bigNumber("3492890328409238509324850943850943825024385")),
    ("!21\r\nSYNTAX invalid syntax\r\n", .error("SYNTAX invalid syntax")),
    ("=15\r\ntxt:Some string\r\n", .verbatimString(format: "txt", text: Array("Some string".utf8))),
    ("%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n", .map([(.simpleString("first"), .integer(1)), (.simpleString("second"), .integer(2))])),
    ("%0\r\n", .map([])),
    ("~2\r\n+a\r\n+b\r\n", .set([.simpleString("a"), .simpleString("b")])),
    (">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", .push([bulk("message"), bulk("ch"), bulk("hi")])),
    // An attribute annotates the next value and is dropped, at the top level and inside an array.
    ("|1\r\n+ttl\r\n:3600\r\n:5\r\n", .integer(5)),
    ("*2\r\n|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n:2\r\n:3\r\n", .array([.integer(2), .integer(3)])),
] }

@Suite("RESP parser: byte-exact RESP2/RESP3, any split, typed errors, limits")
struct RESPParserTests {
    @Test("every sample parses to its value when fed whole")
    func samplesWhole() throws {
        for (text, expected) in samples {
            #expect(try parseAll(Array(text.utf8)) == [expected], "\(text.debugDescription)")
        }
    }

    @Test("all samples back to back, split into two chunks at every byte, give the same values")
    func splitAtEveryByte() throws {
        let stream = Array(samples.map(\.0).joined().utf8)
        let expected = samples.map(\.1)
        for split in 0 ... stream.count {
            var parser = RESPParser()
            var values: [RedisValue] = []
            parser.append(stream[..<split])
            while let value = try parser.next() { values.append(value) }
            parser.append(stream[split...])
            while let value = try parser.next() { values.append(value) }
            #expect(values == expected, "split at \(split)")
            #expect(parser.bufferedByteCount == 0)
        }
    }

    @Test("fed one byte at a time, each value comes out exactly when its last byte arrives")
    func oneByteAtATime() throws {
        for (text, expected) in samples {
            let bytes = Array(text.utf8)
            var parser = RESPParser()
            for (index, byte) in bytes.enumerated() {
                parser.append([byte])
                let value = try parser.next()
                if index == bytes.count - 1 {
                    #expect(value == expected, "\(text.debugDescription)")
                } else {
                    #expect(value == nil, "\(text.debugDescription) complete early at byte \(index)")
                }
            }
        }
    }

    @Test("a large bulk string split into many chunks")
    func largeBulk() throws {
        let payload = (0 ..< 300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var bytes = Array("$\(payload.count)\r\n".utf8) + payload + [13, 10]
        bytes += Array(":1\r\n".utf8)
        var parser = RESPParser()
        var values: [RedisValue] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + 4093, bytes.count)
            parser.append(bytes[offset ..< end])
            while let value = try parser.next() { values.append(value) }
            offset = end
        }
        #expect(values == [.bulkString(payload), .integer(1)])
    }

    @Test("malformed input throws a typed error", arguments: [
        ("?x\r\n", RESPError.unknownType(UInt8(ascii: "?"))),
        (":12a\r\n", .invalidLine(type: UInt8(ascii: ":"), line: "12a")),
        (":\r\n", .invalidLine(type: UInt8(ascii: ":"), line: "")),
        (":99999999999999999999\r\n", .invalidLine(type: UInt8(ascii: ":"), line: "99999999999999999999")),
        (":9223372036854775808\r\n", .invalidLine(type: UInt8(ascii: ":"), line: "9223372036854775808")),
        ("$-2\r\n", .invalidLine(type: UInt8(ascii: "$"), line: "-2")),
        ("$+3\r\nabc\r\n", .invalidLine(type: UInt8(ascii: "$"), line: "+3")),
        ("%-1\r\n", .invalidLine(type: UInt8(ascii: "%"), line: "-1")),
        ("$3\r\nfooXY", .missingCRLF),
        ("+OK\n", .missingCRLF),
        ("+O\rK\r\n", .missingCRLF),
        ("#x\r\n", .invalidLine(type: UInt8(ascii: "#"), line: "x")),
        (",abc\r\n", .invalidLine(type: UInt8(ascii: ","), line: "abc")),
        ("(12x\r\n", .invalidLine(type: UInt8(ascii: "("), line: "12x")),
        ("_x\r\n", .invalidLine(type: UInt8(ascii: "_"), line: "x")),
        ("=5\r\ntxt-x\r\n", .invalidVerbatim),
        ("$?\r\n", .streamedTypeUnsupported),
        ("*?\r\n", .streamedTypeUnsupported),
    ])
    func malformed(input: String, expected: RESPError) {
        #expect(parseError(input) == expected)
    }

    @Test("after an error the parser stays failed, even if valid bytes follow")
    func stickyFailure() {
        var parser = RESPParser()
        parser.append(Array("?\r\n+OK\r\n".utf8))
        #expect(throws: RESPError.unknownType(UInt8(ascii: "?"))) { try parser.next() }
        #expect(throws: RESPError.unknownType(UInt8(ascii: "?"))) { try parser.next() }
    }

    @Test("a bulk over maxBulkLength fails at its header, before any payload arrives")
    func bulkLimit() {
        let limits = RESPLimits(maxBulkLength: 10)
        #expect(parseError("$11\r\n", limits: limits) == .bulkTooLong(length: 11, limit: 10))
        #expect(parseError("!11\r\n", limits: limits) == .bulkTooLong(length: 11, limit: 10))
        #expect(parseError("$10\r\n0123456789\r\n", limits: limits) == nil)
        // A bad server announcing 2^62 bytes costs nothing.
        #expect(parseError("$4611686018427387904\r\n") == .bulkTooLong(length: 1 << 62, limit: RESPLimits.default.maxBulkLength))
    }

    @Test("an aggregate over maxAggregateLength fails at its header without reserving memory")
    func aggregateLimit() {
        let limits = RESPLimits(maxAggregateLength: 3)
        #expect(parseError("*4\r\n", limits: limits) == .aggregateTooLarge(length: 4, limit: 3))
        #expect(parseError("%4\r\n", limits: limits) == .aggregateTooLarge(length: 4, limit: 3))
        #expect(parseError("*3\r\n:1\r\n:2\r\n:3\r\n", limits: limits) == nil)
        #expect(parseError("*1000000000000\r\n") == .aggregateTooLarge(length: 1_000_000_000_000, limit: RESPLimits.default.maxAggregateLength))
    }

    @Test("one reply larger than maxReplyLength fails, however it is nested; many small replies do not")
    func replyLimit() {
        let limits = RESPLimits(maxReplyLength: 16)
        #expect(parseError("*3\r\n:1\r\n:2\r\n:3\r\n", limits: limits) == nil, "exactly 16 bytes")
        #expect(parseError("*3\r\n:1\r\n:2\r\n:10\r\n", limits: limits) == .replyTooLarge(limit: 16))
        #expect(parseError("*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n", limits: limits) == .replyTooLarge(limit: 16))
        #expect(parseError("$20\r\n", limits: limits) == .replyTooLarge(limit: 16), "refused at the header")
        #expect(parseError(String(repeating: ":12345\r\n", count: 100), limits: limits) == nil)
    }

    @Test("nesting deeper than maxDepth fails")
    func depthLimit() {
        let limits = RESPLimits(maxDepth: 3)
        #expect(parseError("*1\r\n*1\r\n*1\r\n:1\r\n", limits: limits) == nil)
        #expect(parseError("*1\r\n*1\r\n*1\r\n*1\r\n", limits: limits) == .nestingTooDeep(limit: 3))
        #expect(parseError(String(repeating: "*1\r\n", count: 100_000)) == .nestingTooDeep(limit: 64))
    }

    @Test("a line without CRLF fails once it passes maxLineLength instead of buffering forever")
    func lineLimit() {
        let limits = RESPLimits(maxLineLength: 8)
        #expect(parseError("+12345678\r\n", limits: limits) == nil)
        #expect(parseError("+123456789\r\n", limits: limits) == .lineTooLong(limit: 8))
        var parser = RESPParser(limits: limits)
        parser.append(Array("+12345678".utf8))
        #expect((try? parser.next()) == .some(nil), "still within the limit: wait for more")
        parser.append([UInt8(ascii: "9")])
        #expect(throws: RESPError.lineTooLong(limit: 8)) { try parser.next() }
    }

    @Test("encoding any value and parsing it back gives the same value")
    func roundTrip() throws {
        let values = samples.map(\.1) + [
            .double(.nan), .double(0.1), .verbatimString(format: "mkd", text: []),
            .array([.map([(bulk("k"), .set([.boolean(true), .null]))]), .push([.bigNumber("-1")])]),
        ]
        for value in values {
            #expect(try parseAll(RESPEncoder.encode(value)) == [value], "\(value)")
        }
    }
}

@Suite("RESP encoder: commands byte-exact")
struct RESPEncoderTests {
    @Test("a command is an array of bulk strings")
    func command() {
        #expect(RESPEncoder.encodeCommand(["SET", "key", "value"]) == Array("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n".utf8))
    }

    @Test("integers, doubles, empty, UTF-8 and binary arguments")
    func argumentKinds() {
        let bytes: [UInt8] = [0, 13, 10, 255]
        let encoded = RESPEncoder.encodeCommand(["X", 42, RedisArgument(-7), RedisArgument(1.5), RedisArgument(-Double.infinity), "", "é", .bytes(bytes)])
        let expected = Array("*8\r\n$1\r\nX\r\n$2\r\n42\r\n$2\r\n-7\r\n$3\r\n1.5\r\n$4\r\n-inf\r\n$0\r\n\r\n$2\r\né\r\n$4\r\n".utf8) + bytes + [13, 10]
        #expect(encoded == expected)
    }

    @Test("integers beyond Int64 are sent as their digits")
    func bigIntegers() {
        #expect(RedisArgument(UInt64.max).bytes == Array("18446744073709551615".utf8))
        #expect(RedisArgument(Int64.min).bytes == Array("-9223372036854775808".utf8))
    }

    @Test("encoded commands parse back as arrays of bulk strings")
    func parsesBack() throws {
        var parser = RESPParser()
        parser.append(RESPEncoder.encodeCommand(["GET", RedisArgument(1234567890123)]))
        #expect(try parser.next() == .array([bulk("GET"), bulk("1234567890123")]))
    }
}
