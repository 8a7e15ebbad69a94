/// Why a JSON text was rejected, and the byte offset where the parser noticed.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of rejection.
    public enum Kind: Sendable, Hashable {
        /// The input has no bytes or only whitespace.
        case empty
        /// The input ended inside a value.
        case unexpectedEnd
        /// A byte that cannot start or continue the value at this position.
        case unexpectedByte(UInt8)
        /// Bytes after the root value.
        case trailingData
        /// A number that breaks the RFC 8259 grammar (leading zero, missing digits, `+`…).
        case invalidNumber
        /// A number too large for a double (`1e400`).
        case numberOutOfRange
        /// A backslash escape that RFC 8259 does not define.
        case invalidEscape
        /// A `\u` escape that is not four hex digits or is a lone surrogate.
        case invalidUnicodeEscape
        /// A raw control character (below U+0020) inside a string.
        case controlCharacterInString
        /// Bytes that are not well-formed UTF-8.
        case invalidUTF8
        /// An object repeats a key.
        case duplicateKey(String)
        /// The input is larger than ``JSONLimits/maxBytes``.
        case inputTooLarge(limit: Int)
        /// Nesting deeper than ``JSONLimits/maxDepth``.
        case depthLimitExceeded(limit: Int)
        /// A string longer than ``JSONLimits/maxStringBytes``.
        case stringTooLong(limit: Int)
        /// A container with more than ``JSONLimits/maxContainerCount`` entries.
        case tooManyElements(limit: Int)
    }

    /// What went wrong.
    public var kind: Kind
    /// The byte offset in the input.
    public var offset: Int

    /// Creates an error.
    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    /// A one-line, client-safe explanation (it never echoes input beyond a duplicate key name).
    public var description: String {
        let what: String
        switch kind {
        case .empty: what = "empty input"
        case .unexpectedEnd: what = "unexpected end of input"
        case .unexpectedByte(let byte):
            what = (0x20..<0x7F).contains(byte)
                ? "unexpected character '\(Character(Unicode.Scalar(byte)))'"
                : "unexpected byte 0x\(String(byte, radix: 16))"
        case .trailingData: what = "unexpected data after the JSON value"
        case .invalidNumber: what = "invalid number"
        case .numberOutOfRange: what = "number out of range"
        case .invalidEscape: what = "invalid escape sequence"
        case .invalidUnicodeEscape: what = "invalid \\u escape"
        case .controlCharacterInString: what = "unescaped control character in string"
        case .invalidUTF8: what = "invalid UTF-8"
        case .duplicateKey(let key): what = "duplicate key \"\(key.prefix(64))\""
        case .inputTooLarge(let limit): what = "input larger than \(limit) bytes"
        case .depthLimitExceeded(let limit): what = "nesting deeper than \(limit)"
        case .stringTooLong(let limit): what = "string longer than \(limit) bytes"
        case .tooManyElements(let limit): what = "container with more than \(limit) entries"
        }
        return "\(what) at byte \(offset)"
    }
}
