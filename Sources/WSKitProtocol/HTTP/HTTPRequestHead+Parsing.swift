extension HTTPRequestHead: HTTPParsableHead {
    /// Parses a framed head: the request line, field lines and the final empty line.
    public static func parse(framedHead head: UnsafeRawBufferPointer) -> Result<HTTPRequestHead, HTTPParseError> {
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
        switch HTTPVersion.parse(head, from: secondSpace &+ 1, to: lineEnd) {
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
