/// An incremental HTTP/1.1 request-head parser (RFC 9112), for the upgrade handshake.
///
/// Feed it each read until it returns `.complete` or `.failure`. When a whole head arrives in one
/// read (the usual case) it is parsed in place without copying; only a head split across reads is
/// buffered, and never more than `limits.maxHeadSize` bytes.
///
/// Rules beyond the grammar, chosen for a WebSocket server:
/// - Lines must end with CRLF. A bare LF is rejected with 400 rather than accepted (RFC 9112 §2.2
///   allows either): no client sends it, and one line syntax leaves no room for two parsers on a
///   path to disagree about where the head ends.
/// - Obsolete line folding (a field line starting with SP/HTAB) is rejected with 400 (§5.2).
/// - Control characters other than HTAB in field values, and non-token bytes in field names
///   (whitespace before the colon included, §5.1), are rejected with 400.
/// - Empty lines before the request line are skipped (§2.2).
/// - More than one `Host` field, or an invalid or conflicting `Content-Length`, is 400 (§3.2,
///   §6.3); any `Transfer-Encoding` is 501, since bodies are not read (§6.1). A missing `Host` is
///   left to the caller (`WebSocketHandshake.validateUpgrade` refuses it).
/// - A major version other than 1 is 505.
///
/// After `.complete` the parser is reset and can parse a following head; after `.failure` it keeps
/// answering the same failure until `reset()`: the server should send `error.response` and close.
public struct HTTPRequestParser: Sendable {
    /// The outcome of feeding one read.
    public enum Result: Sendable {
        /// The head is incomplete; the parser kept what it needs. Feed the next read.
        case needMoreData
        /// The head is complete. `consumed` is how many bytes *of this call's buffer* belonged to
        /// the head; the bytes after them are already WebSocket (or body) data for the engine.
        case complete(HTTPRequestHead, consumed: Int)
        /// The head is invalid; answer with `error.response` (status `error.status`) and close.
        case failure(HTTPParseError)
    }

    private var framer: HTTPHeadFramer

    /// Creates a parser with the given limits.
    public init(limits: HTTPRequestLimits = .default) {
        framer = HTTPHeadFramer(limits: limits)
    }

    /// The limits in force.
    public var limits: HTTPRequestLimits { framer.limits }

    /// Bytes held from earlier reads of a head split across reads.
    public var bufferedByteCount: Int { framer.bufferedByteCount }

    /// Forgets any partial head and any failure.
    public mutating func reset() { framer.reset() }

    /// Feeds one read. The bytes are only borrowed for the duration of the call.
    public mutating func parse(_ bytes: UnsafeRawBufferPointer) -> Result {
        switch framer.feed(bytes, HTTPRequestParser.parseHead) {
        case .needMoreData: return .needMoreData
        case .complete(let head, let consumed): return .complete(head, consumed: consumed)
        case .failure(let error): return .failure(error)
        }
    }

    /// Feeds one read held in an array.
    public mutating func parse(_ bytes: [UInt8]) -> Result {
        bytes.withUnsafeBytes { parse($0) }
    }

    /// Parses a framed head: the request line, field lines and the final empty line.
    static func parseHead(_ head: UnsafeRawBufferPointer) -> Swift.Result<HTTPRequestHead, HTTPParseError> {
        guard let lf = HTTPSyntax.firstIndex(of: HTTPSyntax.lf, in: head, from: 0, to: head.count) else {
            return .failure(.malformedRequestLine)
        }
        let lineEnd = lf &- 1
        // method SP request-target SP HTTP-version
        guard let firstSpace = HTTPSyntax.firstIndex(of: HTTPSyntax.space, in: head, from: 0, to: lineEnd),
              let secondSpace = HTTPSyntax.firstIndex(of: HTTPSyntax.space, in: head, from: firstSpace &+ 1, to: lineEnd)
        else { return .failure(.malformedRequestLine) }
        guard firstSpace > 0 else { return .failure(.malformedRequestLine) }
        for index in 0 ..< firstSpace where !HTTPSyntax.isTokenByte(head[index]) {
            return .failure(.invalidMethod)
        }
        let targetRange = firstSpace &+ 1 ..< secondSpace
        guard !targetRange.isEmpty else { return .failure(.malformedRequestLine) }
        for index in targetRange where !(0x21 ... 0x7E).contains(head[index]) {
            return .failure(.invalidTarget)
        }
        let version: HTTPVersion
        switch parseVersion(head, from: secondSpace &+ 1, to: lineEnd) {
        case .success(let parsed): version = parsed
        case .failure(let error): return .failure(error)
        }

        let fields: [HTTPHeaders.Field]
        switch HTTPFieldLines.parse(head, from: lf &+ 1) {
        case .success(let parsed): fields = parsed
        case .failure(let error): return .failure(error)
        }
        if let error = checkFraming(fields) { return .failure(error) }

        return .success(HTTPRequestHead(
            method: HTTPSyntax.string(head, 0 ..< firstSpace),
            target: HTTPSyntax.string(head, targetRange),
            version: version,
            headers: HTTPHeaders(fields: fields)
        ))
    }

    /// Parses `HTTP/DIGIT.DIGIT` spanning exactly `from..<to` (RFC 9112 §2.3).
    static func parseVersion(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int) -> Swift.Result<HTTPVersion, HTTPParseError> {
        guard to &- from == 8,
              bytes[from] == UInt8(ascii: "H"), bytes[from &+ 1] == UInt8(ascii: "T"),
              bytes[from &+ 2] == UInt8(ascii: "T"), bytes[from &+ 3] == UInt8(ascii: "P"),
              bytes[from &+ 4] == UInt8(ascii: "/"), bytes[from &+ 6] == UInt8(ascii: ".")
        else { return .failure(.malformedVersion) }
        let major = bytes[from &+ 5] &- UInt8(ascii: "0"), minor = bytes[from &+ 7] &- UInt8(ascii: "0")
        guard major < 10, minor < 10 else { return .failure(.malformedVersion) }
        let version = HTTPVersion(major: Int(major), minor: Int(minor))
        guard major == 1 else { return .failure(.unsupportedVersion(version)) }
        return .success(version)
    }

    /// Rejects heads whose message framing is ambiguous: several `Host` fields, an invalid or
    /// conflicting `Content-Length`, or any `Transfer-Encoding`.
    static func checkFraming(_ fields: [HTTPHeaders.Field]) -> HTTPParseError? {
        var hostCount = 0
        var contentLength: Substring?
        for field in fields {
            switch field.name.utf8.count {
            case 4 where HTTPSyntax.equalsIgnoringASCIICase(field.name.utf8, "host".utf8):
                hostCount &+= 1
                if hostCount > 1 { return .duplicateHost }
            case 14 where HTTPSyntax.equalsIgnoringASCIICase(field.name.utf8, "content-length".utf8):
                let value = Substring(field.value)
                guard !value.isEmpty, value.utf8.count <= 18,
                      value.utf8.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 })
                else { return .invalidContentLength }
                if let contentLength, contentLength != value { return .invalidContentLength }
                contentLength = value
            case 17 where HTTPSyntax.equalsIgnoringASCIICase(field.name.utf8, "transfer-encoding".utf8):
                return .unsupportedTransferEncoding
            default:
                continue
            }
        }
        return nil
    }
}
