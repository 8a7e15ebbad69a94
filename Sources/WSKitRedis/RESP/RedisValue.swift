/// One reply (or one element of a reply) from a Redis server, in RESP2 or RESP3.
///
/// RESP2 servers only produce `simpleString`, `error`, `integer`, `bulkString`, `array` and
/// `null`; RESP3 adds the other cases. Blob errors (`!`) become `error`; RESP3 attributes (`|`)
/// are parsed, bounded by the same limits, and dropped (the value they annotate is kept).
public enum RedisValue: Sendable {
    /// `+OK`: a short, CRLF-free string.
    case simpleString(String)
    /// `-ERR ...` or a RESP3 blob error: the whole message, starting with its code (`ERR`,
    /// `NOSCRIPT`, `WRONGTYPE`, ...).
    case error(String)
    /// `:42`.
    case integer(Int64)
    /// `$3\r\nfoo`: binary-safe bytes.
    case bulkString([UInt8])
    /// `*2 ...`.
    case array([RedisValue])
    /// RESP2 `$-1` / `*-1`, or RESP3 `_`.
    case null
    /// RESP3 `,3.14` (also `inf`, `-inf`, `nan`).
    case double(Double)
    /// RESP3 `#t` / `#f`.
    case boolean(Bool)
    /// RESP3 `(` arbitrary-precision integer, as its decimal digits (with an optional `-`).
    case bigNumber(String)
    /// RESP3 `=`: a string with a three-letter format (`txt`, `mkd`).
    case verbatimString(format: String, text: [UInt8])
    /// RESP3 `%`: key-value pairs in the order the server sent them.
    case map([(key: RedisValue, value: RedisValue)])
    /// RESP3 `~`: elements in the order the server sent them.
    case set([RedisValue])
    /// RESP3 `>`: out-of-band data (pub/sub messages, invalidations), never a command's reply.
    case push([RedisValue])
}

extension RedisValue: Equatable {
    public static func == (lhs: RedisValue, rhs: RedisValue) -> Bool {
        switch (lhs, rhs) {
        case let (.simpleString(a), .simpleString(b)): a == b
        case let (.error(a), .error(b)): a == b
        case let (.integer(a), .integer(b)): a == b
        case let (.bulkString(a), .bulkString(b)): a == b
        case let (.array(a), .array(b)): a == b
        case (.null, .null): true
        case let (.double(a), .double(b)): a == b || (a.isNaN && b.isNaN)
        case let (.boolean(a), .boolean(b)): a == b
        case let (.bigNumber(a), .bigNumber(b)): a == b
        case let (.verbatimString(f1, t1), .verbatimString(f2, t2)): f1 == f2 && t1 == t2
        case let (.map(a), .map(b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.set(a), .set(b)): a == b
        case let (.push(a), .push(b)): a == b
        default: false
        }
    }
}

extension RedisValue {
    /// The text of a simple string, bulk string or verbatim string (bytes decoded as UTF-8, with
    /// invalid sequences replaced), or the digits of an integer or big number; otherwise `nil`.
    public var string: String? {
        switch self {
        case let .simpleString(text): text
        case let .bulkString(bytes): String(decoding: bytes, as: UTF8.self)
        case let .verbatimString(_, text): String(decoding: text, as: UTF8.self)
        case let .integer(value): String(value)
        case let .bigNumber(digits): digits
        default: nil
        }
    }

    /// The bytes of a bulk, simple or verbatim string; otherwise `nil`.
    public var bytes: [UInt8]? {
        switch self {
        case let .bulkString(bytes): bytes
        case let .simpleString(text): Array(text.utf8)
        case let .verbatimString(_, text): text
        default: nil
        }
    }

    /// An integer reply, or a string reply holding a decimal integer (RESP2 returns numbers as
    /// bulk strings for many commands); otherwise `nil`.
    public var int: Int64? {
        switch self {
        case let .integer(value): value
        case .bulkString, .simpleString: string.flatMap { Int64($0) }
        default: nil
        }
    }

    /// The elements of an array, set or push; the flattened key, value, key, value... of a map
    /// (what RESP2 sends for the same command); otherwise `nil`.
    public var array: [RedisValue]? {
        switch self {
        case let .array(elements), let .set(elements), let .push(elements): elements
        case let .map(pairs): pairs.flatMap { [$0.key, $0.value] }
        default: nil
        }
    }

    /// Whether this is a null reply.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The message of an error reply; otherwise `nil`.
    public var errorMessage: String? {
        if case let .error(message) = self { return message }
        return nil
    }
}
