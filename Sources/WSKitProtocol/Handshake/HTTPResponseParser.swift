/// An incremental HTTP/1.1 response-head parser, for the client side of the handshake.
///
/// It follows the rules of `HTTPRequestParser` (CRLF only, no obsolete line folding, no control
/// characters, the same `HTTPRequestLimits`, with `maxRequestLineLength` bounding the status line)
/// and, like it, parses a head that arrives in one read in place. It reads only the head: for the
/// 101 the bytes after it are WebSocket frames; for any other status the caller fails the
/// connection without reading a body.
public struct HTTPResponseParser: Sendable {
    /// The outcome of feeding one read.
    public enum Result: Sendable {
        /// The head is incomplete; the parser kept what it needs. Feed the next read.
        case needMoreData
        /// The head is complete. `consumed` is how many bytes *of this call's buffer* belonged to
        /// the head; the bytes after them are already WebSocket data for the engine.
        case complete(HTTPResponseHead, consumed: Int)
        /// The head is invalid; fail the connection.
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
        switch framer.feed(bytes, HTTPResponseParser.parseHead) {
        case .needMoreData: return .needMoreData
        case .complete(let head, let consumed): return .complete(head, consumed: consumed)
        case .failure(let error): return .failure(error)
        }
    }

    /// Feeds one read held in an array.
    public mutating func parse(_ bytes: [UInt8]) -> Result {
        bytes.withUnsafeBytes { parse($0) }
    }

    /// Parses a framed head: `HTTP-version SP 3DIGIT [SP reason-phrase]`, fields, empty line.
    /// A missing reason phrase (and the space before it) is tolerated.
    static func parseHead(_ head: UnsafeRawBufferPointer) -> Swift.Result<HTTPResponseHead, HTTPParseError> {
        guard let lf = HTTPSyntax.firstIndex(of: HTTPSyntax.lf, in: head, from: 0, to: head.count) else {
            return .failure(.malformedStatusLine)
        }
        let lineEnd = lf &- 1
        guard lineEnd >= 12, head[8] == HTTPSyntax.space else { return .failure(.malformedStatusLine) }
        let version: HTTPVersion
        switch HTTPRequestParser.parseVersion(head, from: 0, to: 8) {
        case .success(let parsed): version = parsed
        case .failure(let error): return .failure(error)
        }
        var code = 0
        for index in 9 ..< 12 {
            let digit = head[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return .failure(.malformedStatusLine) }
            code = code &* 10 &+ Int(digit)
        }
        guard code >= 100 else { return .failure(.malformedStatusLine) }
        var reason = ""
        if lineEnd > 12 {
            guard head[12] == HTTPSyntax.space else { return .failure(.malformedStatusLine) }
            for index in 13 ..< lineEnd where !HTTPSyntax.isFieldValueByte(head[index]) {
                return .failure(.malformedStatusLine)
            }
            reason = HTTPSyntax.string(head, 13 ..< lineEnd)
        }
        switch HTTPFieldLines.parse(head, from: lf &+ 1) {
        case .success(let fields):
            return .success(HTTPResponseHead(
                version: version,
                status: HTTPStatus(code: code, reasonPhrase: reason),
                headers: HTTPHeaders(fields: fields)
            ))
        case .failure(let error):
            return .failure(error)
        }
    }
}
