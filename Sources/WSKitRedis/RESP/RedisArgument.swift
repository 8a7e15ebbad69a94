/// One argument of a command, sent as a RESP bulk string.
///
/// String and integer literals convert implicitly, so a command reads
/// `["SET", "greeting", "hello"]`; binary payloads use `.bytes(_:)`.
public struct RedisArgument: Sendable, Hashable {
    enum Storage: Sendable, Hashable {
        case string(String)
        case bytes([UInt8])
        case integer(Int64)
    }

    let storage: Storage

    /// The UTF-8 bytes of `string`.
    public init(_ string: String) { storage = .string(string) }

    /// The decimal digits of `value`.
    public init<Integer: BinaryInteger>(_ value: Integer) {
        if let small = Int64(exactly: value) {
            storage = .integer(small)
        } else {
            storage = .string(String(value))
        }
    }

    /// `value` as Redis parses floating-point arguments (`inf`, `-inf`, or the shortest decimal
    /// that round-trips).
    public init(_ value: Double) {
        if value.isInfinite {
            storage = .string(value < 0 ? "-inf" : "inf")
        } else {
            storage = .string("\(value)")
        }
    }

    /// Binary-safe bytes.
    public static func bytes(_ bytes: [UInt8]) -> RedisArgument { RedisArgument(storage: .bytes(bytes)) }

    /// Binary-safe bytes.
    public static func bytes<Bytes: Sequence>(_ bytes: Bytes) -> RedisArgument where Bytes.Element == UInt8 {
        RedisArgument(storage: .bytes(Array(bytes)))
    }

    init(storage: Storage) { self.storage = storage }

    /// The bytes sent on the wire.
    public var bytes: [UInt8] {
        switch storage {
        case let .string(string): Array(string.utf8)
        case let .bytes(bytes): bytes
        case let .integer(value): Array(String(value).utf8)
        }
    }
}

extension RedisArgument: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { storage = .string(value) }
    public init(integerLiteral value: Int64) { storage = .integer(value) }
}

extension RedisArgument: CustomStringConvertible {
    public var description: String {
        switch storage {
        case let .string(string): string
        case let .bytes(bytes): String(decoding: bytes, as: UTF8.self)
        case let .integer(value): String(value)
        }
    }
}
