/// Writes compact JSON text (no insignificant whitespace) as UTF-8 bytes.
///
/// Strings escape `"`, `\` and every control character below U+0020 (as `\n`, `\t`… or `\u00XX`);
/// everything else, including non-ASCII, is written as UTF-8. Integral numbers within ±2^53 are
/// written without a fraction (`3`, not `3.0`); other finite numbers use the shortest
/// representation that round-trips; NaN and infinities, which JSON cannot express, become `null`
/// (as `JSON.stringify` does).
enum JSONSerializer {
    static func write(_ value: JSONValue, into bytes: inout [UInt8]) {
        switch value {
        case .null: append("null", to: &bytes)
        case .bool(let flag): append(flag ? "true" : "false", to: &bytes)
        case .number(let number): writeNumber(number, into: &bytes)
        case .string(let string): writeString(string, into: &bytes)
        case .array(let array):
            bytes.append(UInt8(ascii: "["))
            var first = true
            for element in array {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                write(element, into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            writeObject(object, into: &bytes)
        }
    }

    static func writeObject(_ object: JSONObject, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        var first = true
        for (key, value) in object {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            writeString(key, into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            write(value, into: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    @inline(__always)
    static func append(_ literal: StaticString, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    static func writeString(_ string: String, into bytes: inout [UInt8]) {
        var string = string
        string.withUTF8 { utf8 in
            // Common case: nothing to escape; one append for the quotes and the text.
            var index = 0
            let count = utf8.count
            while index < count {
                let byte = utf8[index]
                if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { break }
                index &+= 1
            }
            if index == count {
                bytes.reserveCapacity(bytes.count &+ count &+ 2)
                bytes.append(UInt8(ascii: "\""))
                bytes.append(contentsOf: utf8)
                bytes.append(UInt8(ascii: "\""))
                return
            }
            bytes.append(UInt8(ascii: "\""))
            writeEscaped(utf8, from: index, into: &bytes)
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// Writes `utf8` with escapes; bytes before `firstEscape` need none.
    static func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>, from firstEscape: Int, into bytes: inout [UInt8]) {
        var runStart = 0
        var index = firstEscape
        let count = utf8.count
        while index < count {
            let byte = utf8[index]
            if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                index &+= 1
                continue
            }
            if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            default:
                bytes.append(UInt8(ascii: "u"))
                bytes.append(UInt8(ascii: "0"))
                bytes.append(UInt8(ascii: "0"))
                bytes.append(hexDigit(byte >> 4))
                bytes.append(hexDigit(byte & 0xF))
            }
            index &+= 1
            runStart = index
        }
        if runStart < count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<count])) }
    }

    @inline(__always)
    static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ nibble &- 10
    }

    static func writeNumber(_ number: Double, into bytes: inout [UInt8]) {
        guard number.isFinite else {
            append("null", to: &bytes)
            return
        }
        if number == number.rounded(.towardZero), abs(number) <= 9_007_199_254_740_992 {
            writeInteger(Int64(number), into: &bytes)
            return
        }
        // Swift's description is the shortest round-tripping form: "0.1", "1e-07", "1.5e+300",
        // all valid JSON numbers.
        bytes.append(contentsOf: number.description.utf8)
    }

    static func writeInteger(_ value: Int64, into bytes: inout [UInt8]) {
        if value == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var magnitude = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        // Up to 16 digits for |value| ≤ 2^53.
        var digits: (UInt64, UInt64) = (0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[count] = UInt8(ascii: "0") &+ UInt8(magnitude % 10)
                magnitude /= 10
                count &+= 1
            }
            var index = count
            while index > 0 {
                index &-= 1
                bytes.append(buffer[index])
            }
        }
    }
}
