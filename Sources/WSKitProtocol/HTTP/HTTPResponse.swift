/// An HTTP/1.1 response a server writes during the handshake: the 101 that completes an upgrade,
/// or a refusal (RFC 6455 §4.2.2, RFC 9110 §15).
///
/// Refusals built by the factories carry `Content-Type: text/plain; charset=utf-8`,
/// `Connection: close` and a short body; the server writes them and closes the connection.
public struct HTTPResponse: Sendable, Hashable {
    /// The status code and reason phrase.
    public var status: HTTPStatus
    /// The header fields, written in order. `Content-Length` is added when serialising if absent.
    public var headers: HTTPHeaders
    /// The body bytes.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The reason phrase (shorthand for `status.reasonPhrase`).
    public var reason: String { status.reasonPhrase }

    // MARK: - Serialisation

    /// Appends the response bytes: status line, fields, a `Content-Length` (except for 1xx, 204
    /// and 304, or when the fields already hold one), the empty line and the body.
    ///
    /// CR, LF and other control bytes (except HTAB) in names and values are written as spaces, and
    /// in the reason phrase too, so no value can inject a header line.
    public func serialize(into output: inout OutputBuffer) {
        output.append(utf8: "HTTP/1.1 ")
        appendStatusCode(into: &output)
        output.append(HTTPSyntax.space)
        HTTPResponse.appendSanitized(status.reasonPhrase, into: &output)
        output.append(utf8: "\r\n")
        var hasContentLength = false
        for field in headers.fields {
            if !hasContentLength, HTTPSyntax.equalsIgnoringASCIICase(field.name.utf8, "content-length".utf8) {
                hasContentLength = true
            }
            HTTPResponse.appendSanitized(field.name, into: &output, forName: true)
            output.append(utf8: ": ")
            HTTPResponse.appendSanitized(field.value, into: &output)
            output.append(utf8: "\r\n")
        }
        let mayHaveBody = status.code >= 200 && status.code != 204 && status.code != 304
        if !hasContentLength, mayHaveBody {
            output.append(utf8: "Content-Length: ")
            output.append(utf8: String(body.count))
            output.append(utf8: "\r\n")
        }
        output.append(utf8: "\r\n")
        if !body.isEmpty { output.append(contentsOf: body) }
    }

    /// The serialised response as an array (for tests and diagnostics).
    public var serializedBytes: [UInt8] {
        var output = OutputBuffer(capacity: 256)
        serialize(into: &output)
        return output.bytes
    }

    private func appendStatusCode(into output: inout OutputBuffer) {
        let code = min(max(status.code, 100), 999)
        output.append(UInt8(truncatingIfNeeded: 48 &+ code / 100))
        output.append(UInt8(truncatingIfNeeded: 48 &+ code / 10 % 10))
        output.append(UInt8(truncatingIfNeeded: 48 &+ code % 10))
    }

    static func appendSanitized(_ string: String, into output: inout OutputBuffer, forName: Bool = false) {
        let utf8 = string.utf8
        let clean = utf8.allSatisfy { forName ? HTTPSyntax.isTokenByte($0) : HTTPSyntax.isFieldValueByte($0) }
        if clean {
            output.append(utf8: string)
        } else {
            output.append(contentsOf: utf8.lazy.map { byte in
                if forName { return HTTPSyntax.isTokenByte(byte) ? byte : UInt8(ascii: "-") }
                return HTTPSyntax.isFieldValueByte(byte) ? byte : HTTPSyntax.space
            })
        }
    }

    // MARK: - Handshake success

    /// 101 Switching Protocols completing a WebSocket upgrade (RFC 6455 §4.2.2): `Upgrade:
    /// websocket`, `Connection: Upgrade`, `Sec-WebSocket-Accept`, then `Sec-WebSocket-Protocol` if
    /// a subprotocol was selected, `Sec-WebSocket-Extensions` if extensions were accepted, and
    /// `extraHeaders` (for example `Set-Cookie`).
    public static func switchingProtocols(
        acceptValue: String,
        subprotocol: String? = nil,
        extensions: [WebSocketExtensionOffer] = [],
        extraHeaders: HTTPHeaders = HTTPHeaders()
    ) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Upgrade", value: "websocket")
        headers.add(name: "Connection", value: "Upgrade")
        headers.add(name: "Sec-WebSocket-Accept", value: acceptValue)
        if let subprotocol { headers.add(name: "Sec-WebSocket-Protocol", value: subprotocol) }
        if !extensions.isEmpty {
            headers.add(name: "Sec-WebSocket-Extensions", value: WebSocketExtensionOffer.headerValue(extensions))
        }
        headers.add(contentsOf: extraHeaders)
        return HTTPResponse(status: .switchingProtocols, headers: headers)
    }

    /// 101 Switching Protocols for a validated request; the accept value is computed from its key.
    public static func switchingProtocols(
        for request: UpgradeRequest,
        subprotocol: String? = nil,
        extensions: [WebSocketExtensionOffer] = [],
        extraHeaders: HTTPHeaders = HTTPHeaders()
    ) -> HTTPResponse {
        switchingProtocols(
            acceptValue: WebSocketHandshake.acceptValue(forKey: request.key),
            subprotocol: subprotocol,
            extensions: extensions,
            extraHeaders: extraHeaders
        )
    }

    // MARK: - Refusals

    /// A refusal with a plain-text body: `Content-Type: text/plain; charset=utf-8`,
    /// `Connection: close`, then `extraHeaders`.
    public static func plainText(status: HTTPStatus, _ message: String, extraHeaders: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        headers.add(name: "Connection", value: "close")
        headers.add(contentsOf: extraHeaders)
        return HTTPResponse(status: status, headers: headers, body: Array(message.utf8))
    }

    /// 400 Bad Request.
    public static func badRequest(_ message: String = "Bad Request") -> HTTPResponse {
        plainText(status: .badRequest, message)
    }

    /// 401 Unauthorized, with a `WWW-Authenticate` challenge if given (for example `Bearer`).
    /// RFC 9110 §15.5.2 expects a challenge on every 401.
    public static func unauthorized(_ message: String = "Unauthorized", wwwAuthenticate: String? = nil) -> HTTPResponse {
        var extra = HTTPHeaders()
        if let wwwAuthenticate { extra.add(name: "WWW-Authenticate", value: wwwAuthenticate) }
        return plainText(status: .unauthorized, message, extraHeaders: extra)
    }

    /// 403 Forbidden (for example a disallowed `Origin`).
    public static func forbidden(_ message: String = "Forbidden") -> HTTPResponse {
        plainText(status: .forbidden, message)
    }

    /// 404 Not Found.
    public static func notFound(_ message: String = "Not Found") -> HTTPResponse {
        plainText(status: .notFound, message)
    }

    /// 405 Method Not Allowed with an `Allow` field.
    public static func methodNotAllowed(allowed: [String] = ["GET"], _ message: String = "Method Not Allowed") -> HTTPResponse {
        plainText(status: .methodNotAllowed, message, extraHeaders: ["Allow": allowed.joined(separator: ", ")])
    }

    /// 426 Upgrade Required with `Sec-WebSocket-Version: 13`, the answer to an unsupported
    /// WebSocket version (RFC 6455 §4.2.2 item 4, §4.4).
    public static func upgradeRequired(_ message: String = "Upgrade Required: WebSocket version 13") -> HTTPResponse {
        plainText(status: .upgradeRequired, message, extraHeaders: ["Sec-WebSocket-Version": WebSocketHandshake.version])
    }

    /// 429 Too Many Requests, with `Retry-After` (RFC 6585 §4) if given, in whole seconds
    /// rounded up as HTTP requires (RFC 9110 §10.2.3).
    public static func tooManyRequests(retryAfter: Duration? = nil, _ message: String = "Too Many Requests") -> HTTPResponse {
        plainText(status: .tooManyRequests, message, extraHeaders: retryAfterHeader(retryAfter))
    }

    /// 500 Internal Server Error.
    public static func internalServerError(_ message: String = "Internal Server Error") -> HTTPResponse {
        plainText(status: .internalServerError, message)
    }

    /// 503 Service Unavailable (for example while draining), with `Retry-After` if given, in
    /// whole seconds rounded up.
    public static func serviceUnavailable(retryAfter: Duration? = nil, _ message: String = "Service Unavailable") -> HTTPResponse {
        plainText(status: .serviceUnavailable, message, extraHeaders: retryAfterHeader(retryAfter))
    }

    private static func retryAfterHeader(_ delay: Duration?) -> HTTPHeaders {
        guard let delay else { return HTTPHeaders() }
        return ["Retry-After": String(delay.wholeSecondsRoundingUp)]
    }
}
