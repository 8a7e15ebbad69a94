extension HTTPResponseHead: HTTPParsableHead {
    /// Parses a framed head: `HTTP-version SP 3DIGIT [SP reason-phrase]`, fields, empty line.
    /// A missing reason phrase (and the space before it) is tolerated.
    public static func parse(framedHead head: UnsafeRawBufferPointer) -> Result<HTTPResponseHead, HTTPParseError> {
        guard let lf = HTTPSyntax.firstIndex(of: HTTPSyntax.lf, in: head, from: 0, to: head.count) else {
            return .failure(.malformedStatusLine)
        }
        let lineEnd = lf &- 1
        guard lineEnd >= 12, head[8] == HTTPSyntax.space else { return .failure(.malformedStatusLine) }
        let version: HTTPVersion
        switch HTTPVersion.parse(head, from: 0, to: 8) {
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
