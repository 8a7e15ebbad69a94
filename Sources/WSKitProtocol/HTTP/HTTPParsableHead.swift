/// A head an ``HTTPHeadParser`` can produce: request heads and response heads.
public protocol HTTPParsableHead: Sendable {
    /// Parses a framed head: the start line, the field lines and the final empty line, CRLF
    /// terminated (the framer has checked line endings and size limits).
    static func parse(framedHead head: UnsafeRawBufferPointer) -> Result<Self, HTTPParseError>
}
