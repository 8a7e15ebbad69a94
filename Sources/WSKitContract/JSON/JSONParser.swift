/// A single-pass RFC 8259 parser over raw bytes.
///
/// Strict: no comments, no trailing commas, no leading zeros, no lone surrogates, no raw control
/// characters in strings, well-formed UTF-8 only, duplicate keys rejected. Every failure is a
/// typed ``JSONParseError``; no input makes it trap.
struct JSONParser: ~Copyable {
    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int = 0
    var depth: Int = 0
    let limits: JSONLimits
    /// Reused for strings that contain escapes.
    var scratch: [UInt8] = []
    /// Whether the last string parsed contained an escape.
    var lastStringHadEscape = false
    /// Elements of the arrays being parsed (nested arrays stack up); each finished array copies
    /// its elements out once, at their final size.
    var elementStack: [JSONValue] = []

    init(bytes: UnsafeBufferPointer<UInt8>, limits: JSONLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        try startDocument()
        return try endOfDocument(try parseValue())
    }

    /// The start of a document: within the size limit, and not empty once leading whitespace is
    /// skipped.
    @inline(__always)
    mutating func startDocument() throws(JSONParseError) {
        guard bytes.count <= limits.maxBytes else {
            throw JSONParseError(.inputTooLarge(limit: limits.maxBytes), at: 0)
        }
        skipWhitespace()
        guard position < bytes.count else { throw JSONParseError(.empty, at: position) }
    }

    /// The end of a document: only whitespace may follow the root, which is handed back.
    @inline(__always)
    mutating func endOfDocument<Root>(_ root: consuming Root) throws(JSONParseError) -> Root {
        skipWhitespace()
        guard position == bytes.count else { throw JSONParseError(.trailingData, at: position) }
        return root
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position &+= 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard position < bytes.count else { throw JSONParseError(.unexpectedEnd, at: position) }
        switch bytes[position] {
        case UInt8(ascii: "{"): return .object(try parseObject())
        case UInt8(ascii: "["): return .array(try parseArray())
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case let byte: throw JSONParseError(.unexpectedByte(byte), at: position)
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        let start = literal.utf8Start
        for offset in 0..<count {
            guard position &+ offset < bytes.count else {
                throw JSONParseError(.unexpectedEnd, at: bytes.count)
            }
            let byte = bytes[position &+ offset]
            guard byte == start[offset] else {
                throw JSONParseError(.unexpectedByte(byte), at: position &+ offset)
            }
        }
        position &+= count
    }

    mutating func enterContainer() throws(JSONParseError) {
        depth &+= 1
        guard depth <= limits.maxDepth else {
            throw JSONParseError(.depthLimitExceeded(limit: limits.maxDepth), at: position)
        }
    }

    mutating func parseObject() throws(JSONParseError) -> JSONObject {
        if try openContainer(closing: UInt8(ascii: "}")) { return JSONObject() }
        var pairs: [(key: String, value: JSONValue)] = []
        pairs.reserveCapacity(8)
        // Duplicate keys: a 64-bit Bloom filter over (length, first byte, last byte) rules out
        // almost every comparison; large objects switch to a set.
        var bloom: UInt64 = 0
        var seen: Set<String>? = nil
        while true {
            let (key, keyOffset) = try parseMemberKey()
            let count = pairs.count
            if seen != nil {
                guard seen!.insert(key).inserted else { throw JSONParseError(.duplicateKey(key), at: keyOffset) }
            } else {
                let bit = UInt64(1) << (keyFingerprint(key, start: keyOffset &+ 1, end: position &- 1) & 63)
                if bloom & bit != 0 {
                    for pair in pairs where pair.key == key {
                        throw JSONParseError(.duplicateKey(key), at: keyOffset)
                    }
                }
                bloom |= bit
                if count == 32 {
                    seen = Set(pairs.map(\.key))
                    seen!.insert(key)
                }
            }
            pairs.append((key, try parseMemberValue(keyOffset: keyOffset, count: count)))
            if try endOfItem(closing: UInt8(ascii: "}")) { return JSONObject(storage: pairs) }
        }
    }

    // MARK: Container steps (objects, arrays and the envelope root)

    /// Enters the container whose opening byte is at `position`; `true` when it is empty (its
    /// `closing` byte is next, and consumed).
    @inline(__always)
    mutating func openContainer(closing: UInt8) throws(JSONParseError) -> Bool {
        try enterContainer()
        position &+= 1  // { or [
        skipWhitespace()
        guard position < bytes.count else { throw JSONParseError(.unexpectedEnd, at: position) }
        guard bytes[position] == closing else { return false }
        position &+= 1
        depth &-= 1
        return true
    }

    /// Parses the key of an object member; returns it and the offset of its opening quote.
    @inline(__always)
    mutating func parseMemberKey() throws(JSONParseError) -> (key: String, offset: Int) {
        skipWhitespace()
        guard position < bytes.count else { throw JSONParseError(.unexpectedEnd, at: position) }
        guard bytes[position] == UInt8(ascii: "\"") else {
            throw JSONParseError(.unexpectedByte(bytes[position]), at: position)
        }
        let keyOffset = position
        return (try parseString(), keyOffset)
    }

    /// Parses the `:` and the value of an object member that has `count` members before it.
    @inline(__always)
    mutating func parseMemberValue(keyOffset: Int, count: Int) throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw JSONParseError(.unexpectedEnd, at: position) }
        guard bytes[position] == UInt8(ascii: ":") else {
            throw JSONParseError(.unexpectedByte(bytes[position]), at: position)
        }
        position &+= 1
        skipWhitespace()
        let value = try parseValue()
        guard count < limits.maxContainerCount else {
            throw JSONParseError(.tooManyElements(limit: limits.maxContainerCount), at: keyOffset)
        }
        return value
    }

    /// After a member or element: consumes a `,` (`false`: another follows) or the container's
    /// `closing` byte (`true`: it has ended).
    @inline(__always)
    mutating func endOfItem(closing: UInt8) throws(JSONParseError) -> Bool {
        skipWhitespace()
        guard position < bytes.count else { throw JSONParseError(.unexpectedEnd, at: position) }
        let byte = bytes[position]
        if byte == UInt8(ascii: ",") {
            position &+= 1
            return false
        }
        guard byte == closing else { throw JSONParseError(.unexpectedByte(byte), at: position) }
        position &+= 1
        depth &-= 1
        return true
    }

    /// A cheap fingerprint of a key for the duplicate filter: length, first and last byte of
    /// its UTF-8. Read from the input when the key had no escapes (the bytes are the key's),
    /// from the decoded key otherwise, so every spelling of one key gets one fingerprint.
    @inline(__always)
    func keyFingerprint(_ key: String, start: Int, end: Int) -> Int {
        if !lastStringHadEscape {
            let length = end &- start
            if length <= 0 { return 0 }
            return length &* 31 &+ Int(bytes[start]) &* 7 &+ Int(bytes[end &- 1])
        }
        var key = key
        return key.withUTF8 { utf8 in
            utf8.isEmpty ? 0 : utf8.count &* 31 &+ Int(utf8[0]) &* 7 &+ Int(utf8[utf8.count &- 1])
        }
    }

    mutating func parseArray() throws(JSONParseError) -> [JSONValue] {
        if try openContainer(closing: UInt8(ascii: "]")) { return [] }
        let start = elementStack.count
        while true {
            skipWhitespace()
            let elementOffset = position
            let value = try parseValue()
            guard elementStack.count &- start < limits.maxContainerCount else {
                throw JSONParseError(.tooManyElements(limit: limits.maxContainerCount), at: elementOffset)
            }
            elementStack.append(value)
            if try endOfItem(closing: UInt8(ascii: "]")) {
                let array = Array(elementStack[start...])
                elementStack.removeSubrange(start...)
                return array
            }
        }
    }

    // MARK: Strings

    mutating func parseString() throws(JSONParseError) -> String {
        position &+= 1  // opening quote
        lastStringHadEscape = false
        let start = position
        var asciiOnly = true
        // Fast path: no escapes. Eight bytes at a time while none is a quote, a backslash, a
        // control character or non-ASCII; then byte by byte.
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while position &+ 8 <= bytes.count {
                let word = raw.loadUnaligned(fromByteOffset: position, as: UInt64.self)
                if Self.needsAttention(word) { break }
                position &+= 8
            }
        }
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let length = position &- start
                guard length <= limits.maxStringBytes else {
                    throw JSONParseError(.stringTooLong(limit: limits.maxStringBytes), at: start)
                }
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
                if !asciiOnly { try Self.validateUTF8(slice, offset: start) }
                position &+= 1
                if asciiOnly, let known = Self.knownString(slice) { return known }
                return String(decoding: slice, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { return try parseEscapedString(start: start) }
            if byte < 0x20 { throw JSONParseError(.controlCharacterInString, at: position) }
            if byte >= 0x80 { asciiOnly = false }
            position &+= 1
        }
        throw JSONParseError(.unexpectedEnd, at: position)
    }

    /// The envelope's own keys, returned as literals instead of being decoded and validated again
    /// on every message.
    @inline(__always)
    static func knownString(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        @inline(__always) func equals(_ literal: StaticString) -> Bool {
            guard literal.utf8CodeUnitCount == bytes.count else { return false }
            let start = literal.utf8Start
            for index in 0..<bytes.count where bytes[index] != start[index] { return false }
            return true
        }
        switch bytes.count {
        case 4:
            if equals("type") { return "type" }
            if equals("meta") { return "meta" }
        case 7:
            if equals("payload") { return "payload" }
        case 9:
            if equals("timestamp") { return "timestamp" }
            if equals("timeoutMs") { return "timeoutMs" }
        case 13:
            if equals("correlationId") { return "correlationId" }
        default:
            break
        }
        return nil
    }

    /// Whether any of the eight bytes is `"`, `\\`, below 0x20 or non-ASCII.
    @inline(__always)
    static func needsAttention(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZeroByte(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highs }
        let quote = hasZeroByte(word ^ (ones &* 0x22))
        let backslash = hasZeroByte(word ^ (ones &* 0x5C))
        let control = (word &- ones &* 0x20) & ~word & highs
        return (quote | backslash | control | (word & highs)) != 0
    }

    /// Continues a string at its first backslash, unescaping into `scratch`.
    mutating func parseEscapedString(start: Int) throws(JSONParseError) -> String {
        lastStringHadEscape = true
        scratch.removeAll(keepingCapacity: true)
        var runStart = start
        var runHasNonASCII = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                let run = UnsafeBufferPointer(rebasing: bytes[runStart..<position])
                if runHasNonASCII { try Self.validateUTF8(run, offset: runStart) }
                scratch.append(contentsOf: run)
                runHasNonASCII = false
                if scratch.count > limits.maxStringBytes {
                    throw JSONParseError(.stringTooLong(limit: limits.maxStringBytes), at: start)
                }
                if byte == UInt8(ascii: "\"") {
                    position &+= 1
                    return String(decoding: scratch, as: UTF8.self)
                }
                try parseEscape()
                runStart = position
                continue
            }
            if byte < 0x20 { throw JSONParseError(.controlCharacterInString, at: position) }
            if byte >= 0x80 { runHasNonASCII = true }
            position &+= 1
        }
        throw JSONParseError(.unexpectedEnd, at: position)
    }

    /// Parses one escape at `position` (the backslash) and appends its UTF-8 to `scratch`.
    mutating func parseEscape() throws(JSONParseError) {
        let escapeStart = position
        position &+= 1
        guard position < bytes.count else { throw JSONParseError(.unexpectedEnd, at: position) }
        let byte = bytes[position]
        position &+= 1
        switch byte {
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "/"): scratch.append(0x2F)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let first = try parseHex4(escapeStart: escapeStart)
            var scalarValue = UInt32(first)
            if (0xD800...0xDBFF).contains(first) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard position &+ 1 < bytes.count,
                      bytes[position] == UInt8(ascii: "\\"), bytes[position &+ 1] == UInt8(ascii: "u")
                else { throw JSONParseError(.invalidUnicodeEscape, at: escapeStart) }
                position &+= 2
                let second = try parseHex4(escapeStart: escapeStart)
                guard (0xDC00...0xDFFF).contains(second) else {
                    throw JSONParseError(.invalidUnicodeEscape, at: escapeStart)
                }
                scalarValue = 0x10000 &+ ((UInt32(first) &- 0xD800) << 10) &+ (UInt32(second) &- 0xDC00)
            } else if (0xDC00...0xDFFF).contains(first) {
                throw JSONParseError(.invalidUnicodeEscape, at: escapeStart)
            }
            guard let scalar = Unicode.Scalar(scalarValue) else {
                throw JSONParseError(.invalidUnicodeEscape, at: escapeStart)
            }
            for unit in UTF8.encode(scalar)! { scratch.append(unit) }
        default:
            throw JSONParseError(.invalidEscape, at: escapeStart)
        }
    }

    mutating func parseHex4(escapeStart: Int) throws(JSONParseError) -> UInt16 {
        guard position &+ 4 <= bytes.count else { throw JSONParseError(.unexpectedEnd, at: bytes.count) }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte &- UInt8(ascii: "A") &+ 10
            default: throw JSONParseError(.invalidUnicodeEscape, at: escapeStart)
            }
            value = value << 4 | UInt16(digit)
            position &+= 1
        }
        return value
    }

    /// Rejects ill-formed UTF-8: overlong forms, surrogates, values above U+10FFFF, truncation.
    static func validateUTF8(_ buffer: UnsafeBufferPointer<UInt8>, offset: Int) throws(JSONParseError) {
        var index = 0
        let count = buffer.count
        while index < count {
            let lead = buffer[index]
            if lead < 0x80 { index &+= 1; continue }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: throw JSONParseError(.invalidUTF8, at: offset &+ index)
            }
            guard index &+ length <= count else { throw JSONParseError(.invalidUTF8, at: offset &+ index) }
            let second = buffer[index &+ 1]
            guard second >= lower, second <= upper else {
                throw JSONParseError(.invalidUTF8, at: offset &+ index)
            }
            var continuation = 2
            while continuation < length {
                guard buffer[index &+ continuation] & 0xC0 == 0x80 else {
                    throw JSONParseError(.invalidUTF8, at: offset &+ index)
                }
                continuation &+= 1
            }
            index &+= length
        }
    }

    // MARK: Numbers

    mutating func parseNumber() throws(JSONParseError) -> Double {
        let start = position
        var negative = false
        if bytes[position] == UInt8(ascii: "-") {
            negative = true
            position &+= 1
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var decimalExponent = 0
        // Integer part.
        guard position < bytes.count else { throw JSONParseError(.invalidNumber, at: start) }
        let firstDigit = bytes[position]
        if firstDigit == UInt8(ascii: "0") {
            position &+= 1
            if position < bytes.count, isDigit(bytes[position]) {
                throw JSONParseError(.invalidNumber, at: start)
            }
        } else if isDigit(firstDigit) {
            while position < bytes.count, isDigit(bytes[position]) {
                accumulate(bytes[position], &mantissa, &significantDigits, &decimalExponent, fraction: false)
                position &+= 1
            }
        } else {
            throw JSONParseError(.invalidNumber, at: start)
        }
        // Fraction.
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position &+= 1
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw JSONParseError(.invalidNumber, at: start)
            }
            while position < bytes.count, isDigit(bytes[position]) {
                accumulate(bytes[position], &mantissa, &significantDigits, &decimalExponent, fraction: true)
                position &+= 1
            }
        }
        // Exponent.
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position &+= 1
            var exponentNegative = false
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                exponentNegative = bytes[position] == UInt8(ascii: "-")
                position &+= 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw JSONParseError(.invalidNumber, at: start)
            }
            var exponent = 0
            while position < bytes.count, isDigit(bytes[position]) {
                if exponent < 100_000 { exponent = exponent &* 10 &+ Int(bytes[position] &- 0x30) }
                position &+= 1
            }
            decimalExponent &+= exponentNegative ? -exponent : exponent
        }
        // Clinger's fast path: exact when the mantissa and the power of ten are both exact doubles.
        if significantDigits <= 19, mantissa <= (1 << 53), (-22...22).contains(decimalExponent) {
            var value = Double(mantissa)
            if decimalExponent >= 0 {
                value *= Self.powersOfTen[decimalExponent]
            } else {
                value /= Self.powersOfTen[-decimalExponent]
            }
            return negative ? -value : value
        }
        if mantissa == 0 && significantDigits <= 19 { return negative ? -0.0 : 0.0 }
        // Slow path: the standard library's correctly rounded conversion of the validated text.
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw JSONParseError(.numberOutOfRange, at: start)
        }
        return value
    }

    @inline(__always)
    func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// Adds a digit to the mantissa while it fits in 19 digits; later digits only shift the
    /// exponent (and force the slow path, which reparses the text).
    @inline(__always)
    func accumulate(
        _ byte: UInt8, _ mantissa: inout UInt64, _ significantDigits: inout Int,
        _ decimalExponent: inout Int, fraction: Bool
    ) {
        let digit = UInt64(byte &- UInt8(ascii: "0"))
        if significantDigits == 0 && digit == 0 {
            // Leading zeros of a fraction ("0.000123") are not significant.
            if fraction { decimalExponent &-= 1 }
            return
        }
        significantDigits &+= 1
        if significantDigits <= 19 {
            mantissa = mantissa &* 10 &+ digit
            if fraction { decimalExponent &-= 1 }
        } else if !fraction {
            decimalExponent &+= 1
        }
    }

    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
