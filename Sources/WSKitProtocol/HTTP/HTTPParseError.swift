/// Why an HTTP head could not be parsed, with the status a server answers it with.
///
/// The response parser reports the same cases; there `status` is only descriptive.
public enum HTTPParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The request line is not `method SP request-target SP HTTP-version` (400).
    case malformedRequestLine
    /// The status line is not `HTTP-version SP 3DIGIT SP reason-phrase` (responses only).
    case malformedStatusLine
    /// The method is not a token (400).
    case invalidMethod
    /// The request target contains whitespace, control or non-ASCII bytes (400).
    case invalidTarget
    /// The version is not `HTTP/DIGIT.DIGIT` (400).
    case malformedVersion
    /// The major version is not 1 (505).
    case unsupportedVersion(HTTPVersion)
    /// A line ended with LF alone; this parser requires CRLF (RFC 9112 §2.2 allows either) (400).
    case bareLineFeed
    /// A field line starts with whitespace: obsolete line folding, rejected per RFC 9112 §5.2 (400).
    case obsoleteLineFolding
    /// A field line has no colon, an empty name, or a name with non-token bytes (whitespace before
    /// the colon included, RFC 9112 §5.1) (400).
    case invalidHeaderName
    /// A field value contains a control character (CR, NUL, …) (400).
    case invalidHeaderValue
    /// The request line exceeds `maxRequestLineLength` (414).
    case requestLineTooLong
    /// More than `maxHeaderCount` fields (431).
    case tooManyHeaders
    /// The head exceeds `maxHeadSize` (431).
    case headTooLarge
    /// More than one `Host` field (RFC 9112 §3.2) (400).
    case duplicateHost
    /// `Content-Length` is not a decimal number, or several disagree (RFC 9112 §6.3) (400).
    case invalidContentLength
    /// `Transfer-Encoding` is present; this parser does not read request bodies (RFC 9112 §6.1) (501).
    case unsupportedTransferEncoding

    /// The status a server sends for this error.
    public var status: HTTPStatus {
        switch self {
        case .requestLineTooLong: return .uriTooLong
        case .tooManyHeaders, .headTooLarge: return .requestHeaderFieldsTooLarge
        case .unsupportedVersion: return .httpVersionNotSupported
        case .unsupportedTransferEncoding: return .notImplemented
        default: return .badRequest
        }
    }

    /// The response a server sends for this error (plain-text body, `Connection: close`).
    public var response: HTTPResponse {
        HTTPResponse.plainText(status: status, description)
    }

    /// A short English explanation, used as the response body.
    public var description: String {
        switch self {
        case .malformedRequestLine: return "Malformed request line"
        case .malformedStatusLine: return "Malformed status line"
        case .invalidMethod: return "Invalid method"
        case .invalidTarget: return "Invalid request target"
        case .malformedVersion: return "Malformed HTTP version"
        case .unsupportedVersion(let version): return "\(version) is not supported"
        case .bareLineFeed: return "Lines must end with CRLF"
        case .obsoleteLineFolding: return "Obsolete line folding is not allowed"
        case .invalidHeaderName: return "Invalid header field name"
        case .invalidHeaderValue: return "Invalid header field value"
        case .requestLineTooLong: return "Request line too long"
        case .tooManyHeaders: return "Too many header fields"
        case .headTooLarge: return "Request header fields too large"
        case .duplicateHost: return "More than one Host header field"
        case .invalidContentLength: return "Invalid Content-Length"
        case .unsupportedTransferEncoding: return "Transfer-Encoding is not supported"
        }
    }
}
