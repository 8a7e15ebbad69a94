/// Size limits the head parsers enforce before buffering or building anything, so a peer cannot
/// make the server hold unbounded memory for a handshake.
///
/// The defaults fit every browser handshake with room to spare (cookies included).
public struct HTTPRequestLimits: Sendable, Hashable {
    /// The longest request line (or status line, for responses) in bytes, without its CRLF.
    /// A longer request line is refused with 414 URI Too Long. Default 8 KiB.
    public var maxRequestLineLength: Int
    /// The most header fields. More are refused with 431. Default 100.
    public var maxHeaderCount: Int
    /// The longest head in bytes, request line and final empty line included. A longer head is
    /// refused with 431 Request Header Fields Too Large. Default 16 KiB.
    public var maxHeadSize: Int

    /// Creates limits; every value must be positive.
    public init(maxRequestLineLength: Int = 8 * 1024, maxHeaderCount: Int = 100, maxHeadSize: Int = 16 * 1024) {
        precondition(maxRequestLineLength > 0 && maxHeaderCount > 0 && maxHeadSize > 0, "limits must be positive")
        self.maxRequestLineLength = maxRequestLineLength
        self.maxHeaderCount = maxHeaderCount
        self.maxHeadSize = maxHeadSize
    }

    /// The default limits.
    public static let `default` = HTTPRequestLimits()
}
