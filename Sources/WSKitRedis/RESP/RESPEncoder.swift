/// Writes RESP: commands (arrays of bulk strings, what servers accept) and any `RedisValue`
/// (what servers send, for fakes and tests). No I/O.
public enum RESPEncoder {
    /// Appends `command` as an array of bulk strings: `*<n>\r\n` then `$<len>\r\n<bytes>\r\n` each.
    public static func encodeCommand(_ command: [RedisArgument], into buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "*"))
        appendDecimal(command.count, to: &buffer)
        for argument in command {
            switch argument.storage {
            case let .string(string):
                var string = string
                string.withUTF8 { appendBulk(UnsafeRawBufferPointer($0), to: &buffer) }
            case let .bytes(bytes):
                bytes.withUnsafeBytes { appendBulk($0, to: &buffer) }
            case let .integer(value):
                var digits: [UInt8] = []
                appendDecimal(value, to: &digits, crlf: false)
                digits.withUnsafeBytes { appendBulk($0, to: &buffer) }
            }
        }
    }

    /// The bytes of `command`.
    public static func encodeCommand(_ command: [RedisArgument]) -> [UInt8] {
        var buffer: [UInt8] = []
        encodeCommand(command, into: &buffer)
        return buffer
    }

    /// Appends `value` in RESP3 (RESP2 for the RESP2 types). Simple strings and errors must not
    /// contain CR or LF; a verbatim format must be three bytes.
    public static func encode(_ value: RedisValue, into buffer: inout [UInt8]) {
        switch value {
        case let .simpleString(text):
            appendLine(UInt8(ascii: "+"), text, to: &buffer)
        case let .error(message):
            appendLine(UInt8(ascii: "-"), message, to: &buffer)
        case let .integer(number):
            buffer.append(UInt8(ascii: ":"))
            appendDecimal(number, to: &buffer)
        case let .bulkString(bytes):
            bytes.withUnsafeBytes { appendBulk($0, to: &buffer) }
        case let .array(elements):
            appendAggregate(UInt8(ascii: "*"), elements, to: &buffer)
        case .null:
            buffer.append(contentsOf: [UInt8(ascii: "_"), 13, 10])
        case let .double(number):
            let text = number.isNaN ? "nan" : number.isInfinite ? (number < 0 ? "-inf" : "inf") : "\(number)"
            appendLine(UInt8(ascii: ","), text, to: &buffer)
        case let .boolean(flag):
            appendLine(UInt8(ascii: "#"), flag ? "t" : "f", to: &buffer)
        case let .bigNumber(digits):
            appendLine(UInt8(ascii: "("), digits, to: &buffer)
        case let .verbatimString(format, text):
            buffer.append(UInt8(ascii: "="))
            appendDecimal(text.count + 4, to: &buffer)
            buffer.append(contentsOf: format.utf8)
            buffer.append(UInt8(ascii: ":"))
            buffer.append(contentsOf: text)
            buffer.append(contentsOf: [13, 10])
        case let .map(pairs):
            buffer.append(UInt8(ascii: "%"))
            appendDecimal(pairs.count, to: &buffer)
            for pair in pairs {
                encode(pair.key, into: &buffer)
                encode(pair.value, into: &buffer)
            }
        case let .set(elements):
            appendAggregate(UInt8(ascii: "~"), elements, to: &buffer)
        case let .push(elements):
            appendAggregate(UInt8(ascii: ">"), elements, to: &buffer)
        }
    }

    /// The bytes of `value`.
    public static func encode(_ value: RedisValue) -> [UInt8] {
        var buffer: [UInt8] = []
        encode(value, into: &buffer)
        return buffer
    }

    private static func appendAggregate(_ type: UInt8, _ elements: [RedisValue], to buffer: inout [UInt8]) {
        buffer.append(type)
        appendDecimal(elements.count, to: &buffer)
        for element in elements { encode(element, into: &buffer) }
    }

    private static func appendLine(_ type: UInt8, _ text: String, to buffer: inout [UInt8]) {
        buffer.append(type)
        buffer.append(contentsOf: text.utf8)
        buffer.append(contentsOf: [13, 10])
    }

    private static func appendBulk(_ bytes: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "$"))
        appendDecimal(bytes.count, to: &buffer)
        buffer.append(contentsOf: bytes)
        buffer.append(contentsOf: [13, 10])
    }

    /// Appends the decimal digits of `value`, then CRLF unless `crlf` is false.
    static func appendDecimal<Integer: BinaryInteger>(_ value: Integer, to buffer: inout [UInt8], crlf: Bool = true) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { scratch in
            repeat {
                scratch[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            var index = count
            while index > 0 {
                index -= 1
                buffer.append(scratch[index])
            }
        }
        if crlf { buffer.append(contentsOf: [13, 10]) }
    }
}
