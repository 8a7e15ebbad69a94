/// Malformed input, or input over a `RESPLimits` bound, found by `RESPParser`.
///
/// After a `RESPError` the byte stream cannot be resynchronised: the connection that produced it
/// is closed.
public enum RESPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A value starts with a byte that is not a known RESP type.
    case unknownType(UInt8)
    /// A length, integer, double, boolean, big number or null line is not well formed.
    case invalidLine(type: UInt8, line: String)
    /// A bulk payload is not followed by CRLF, or a line contains a bare CR.
    case missingCRLF
    /// A line (header or simple value) is longer than `maxLineLength`.
    case lineTooLong(limit: Int)
    /// A bulk length is above `maxBulkLength`.
    case bulkTooLong(length: Int, limit: Int)
    /// An aggregate length is above `maxAggregateLength`.
    case aggregateTooLarge(length: Int, limit: Int)
    /// One top-level reply is larger than `maxReplyLength` bytes.
    case replyTooLarge(limit: Int)
    /// Aggregates are nested deeper than `maxDepth`.
    case nestingTooDeep(limit: Int)
    /// A verbatim string does not start with a three-byte format and `:`.
    case invalidVerbatim
    /// RESP3 streamed strings and aggregates (`$?`, `*?`): no Redis server sends them.
    case streamedTypeUnsupported

    public var description: String {
        switch self {
        case let .unknownType(byte): "unknown RESP type byte 0x\(String(byte, radix: 16))"
        case let .invalidLine(type, line): "invalid '\(Character(Unicode.Scalar(type)))' line: \(line.prefix(64))"
        case .missingCRLF: "missing CRLF"
        case let .lineTooLong(limit): "line longer than \(limit) bytes"
        case let .bulkTooLong(length, limit): "bulk length \(length) above the limit \(limit)"
        case let .aggregateTooLarge(length, limit): "aggregate length \(length) above the limit \(limit)"
        case let .replyTooLarge(limit): "reply larger than \(limit) bytes"
        case let .nestingTooDeep(limit): "aggregates nested deeper than \(limit)"
        case .invalidVerbatim: "verbatim string without a format prefix"
        case .streamedTypeUnsupported: "streamed RESP3 types are not supported"
        }
    }
}
