/// An incremental HTTP/1.1 head parser (RFC 9112): `HTTPRequestParser` for the server side of the
/// upgrade handshake, `HTTPResponseParser` for the client side.
///
/// Feed it each read until it returns `.complete` or `.failure`. When a whole head arrives in one
/// read (the usual case) it is parsed in place without copying; only a head split across reads is
/// buffered, and never more than `limits.maxHeadSize` bytes (`maxRequestLineLength` bounds the
/// request or status line).
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
/// - A status line is `HTTP-version SP 3DIGIT [SP reason-phrase]`; a missing reason phrase is
///   tolerated. A response parser reads only the head: for the 101 the bytes after it are
///   WebSocket frames; for any other status the caller fails the connection without reading a body.
///
/// After `.complete` the parser is reset and can parse a following head; after `.failure` it keeps
/// answering the same failure until `reset()`: a server should send `error.response` and close.
public struct HTTPHeadParser<Head: HTTPParsableHead>: Sendable {
    /// The outcome of feeding one read.
    public enum Result: Sendable {
        /// The head is incomplete; the parser kept what it needs. Feed the next read.
        case needMoreData
        /// The head is complete. `consumed` is how many bytes *of this call's buffer* belonged to
        /// the head; the bytes after them are already WebSocket (or body) data for the engine.
        case complete(Head, consumed: Int)
        /// The head is invalid. A server answers with `error.response` (status `error.status`) and
        /// closes; a client fails the connection.
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
        switch framer.feed(bytes, Head.parse(framedHead:)) {
        case .needMoreData: return .needMoreData
        case .complete(let head, let consumed): return .complete(head, consumed: consumed)
        case .failure(let error): return .failure(error)
        }
    }

    /// Feeds one read held in an array.
    public mutating func parse(_ bytes: [UInt8]) -> Result {
        bytes.withUnsafeBytes { parse($0) }
    }
}

/// Parses HTTP/1.1 request heads (the server side of the upgrade handshake).
public typealias HTTPRequestParser = HTTPHeadParser<HTTPRequestHead>

/// Parses HTTP/1.1 response heads (the client side of the upgrade handshake).
public typealias HTTPResponseParser = HTTPHeadParser<HTTPResponseHead>
