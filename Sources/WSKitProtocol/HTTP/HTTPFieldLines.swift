/// Parses the field lines of a framed head (RFC 9112 §5) into header fields.
enum HTTPFieldLines {
    /// Parses the lines from `start` up to the empty line that ends `head`.
    ///
    /// `head` has been framed: every line ends with CRLF and the last line is empty.
    static func parse(_ head: UnsafeRawBufferPointer, from start: Int) -> Result<[HTTPHeaders.Field], HTTPParseError> {
        var fields: [HTTPHeaders.Field] = []
        fields.reserveCapacity(16)
        var lineStart = start
        let count = head.count
        while let lf = HTTPSyntax.firstIndex(of: HTTPSyntax.lf, in: head, from: lineStart, to: count) {
            let lineEnd = lf &- 1 // the CR
            if lineEnd == lineStart { break }
            let first = head[lineStart]
            if HTTPSyntax.isWhitespace(first) { return .failure(.obsoleteLineFolding) }
            guard let colon = HTTPSyntax.firstIndex(of: HTTPSyntax.colon, in: head, from: lineStart, to: lineEnd),
                  colon > lineStart
            else { return .failure(.invalidHeaderName) }
            for index in lineStart ..< colon where !HTTPSyntax.isTokenByte(head[index]) {
                return .failure(.invalidHeaderName)
            }
            let valueRange = HTTPSyntax.trimmed(head, from: colon &+ 1, to: lineEnd)
            for index in valueRange where !HTTPSyntax.isFieldValueByte(head[index]) {
                return .failure(.invalidHeaderValue)
            }
            fields.append(HTTPHeaders.Field(
                name: HTTPSyntax.string(head, lineStart ..< colon),
                value: HTTPSyntax.string(head, valueRange)
            ))
            lineStart = lf &+ 1
        }
        return .success(fields)
    }
}
