import Testing
@testable import WSKitProtocol

@Suite("HTTP responses written by the server")
struct HTTPResponseTests {
    static func text(_ response: HTTPResponse) -> String {
        String(decoding: response.serializedBytes, as: UTF8.self)
    }

    @Test("the 101 of RFC 6455 §1.3, byte for byte, without Content-Length")
    func switchingProtocols() {
        let response = HTTPResponse.switchingProtocols(acceptValue: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", subprotocol: "chat")
        #expect(Self.text(response) == "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
            + "Sec-WebSocket-Protocol: chat\r\n"
            + "\r\n")
    }

    @Test("a 101 with accepted extensions and extra headers lists them after the WebSocket fields")
    func switchingProtocolsWithExtras() {
        let response = HTTPResponse.switchingProtocols(
            acceptValue: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
            extensions: [WebSocketExtensionOffer(name: "permessage-deflate", parameters: [.init(name: "server_no_context_takeover")])],
            extraHeaders: ["Set-Cookie": "id=1"]
        )
        #expect(Self.text(response) == "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
            + "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n"
            + "Set-Cookie: id=1\r\n"
            + "\r\n")
    }

    @Test("a 503 with Retry-After, byte for byte, with Content-Length and body")
    func serviceUnavailable() {
        let response = HTTPResponse.serviceUnavailable(retryAfter: .seconds(5), "Shutting down")
        #expect(Self.text(response) == "HTTP/1.1 503 Service Unavailable\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Connection: close\r\n"
            + "Retry-After: 5\r\n"
            + "Content-Length: 13\r\n"
            + "\r\n"
            + "Shutting down")
    }

    @Test("the 426 for an unsupported version names version 13")
    func upgradeRequired() {
        let text = Self.text(.upgradeRequired())
        #expect(text.hasPrefix("HTTP/1.1 426 Upgrade Required\r\n"))
        #expect(text.contains("\r\nSec-WebSocket-Version: 13\r\n"))
        #expect(text.contains("\r\nConnection: close\r\n"))
    }

    @Test("refusal factories carry their status and characteristic fields")
    func factories() {
        #expect(HTTPResponse.badRequest().status.code == 400)
        let unauthorized = HTTPResponse.unauthorized(wwwAuthenticate: "Bearer realm=\"ws\"")
        #expect(unauthorized.status.code == 401)
        #expect(unauthorized.headers["WWW-Authenticate"] == "Bearer realm=\"ws\"")
        #expect(HTTPResponse.unauthorized().headers["WWW-Authenticate"] == nil)
        #expect(HTTPResponse.forbidden().status.code == 403)
        #expect(HTTPResponse.notFound().status.code == 404)
        #expect(HTTPResponse.notFound("nope").body == Array("nope".utf8))
        let limited = HTTPResponse.tooManyRequests(retryAfter: .seconds(30))
        #expect(limited.status.code == 429)
        #expect(limited.headers["Retry-After"] == "30")
        #expect(HTTPResponse.tooManyRequests().headers["Retry-After"] == nil)
        #expect(HTTPResponse.tooManyRequests(retryAfter: .milliseconds(1500)).headers["Retry-After"] == "2")
        #expect(HTTPResponse.serviceUnavailable(retryAfter: .seconds(-3)).headers["Retry-After"] == "0")
        #expect(HTTPResponse.internalServerError().status.code == 500)
        for response in [HTTPResponse.badRequest(), .forbidden(), .notFound(), limited, .serviceUnavailable()] {
            #expect(response.headers["Connection"] == "close")
            #expect(response.headers["Content-Type"] == "text/plain; charset=utf-8")
        }
    }

    @Test("a general response keeps a caller's Content-Length and omits it for 204")
    func contentLength() {
        let explicit = HTTPResponse(status: .ok, headers: ["Content-Length": "2"], body: Array("hi".utf8))
        #expect(Self.text(explicit) == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi")
        let empty = HTTPResponse(status: HTTPStatus(code: 204))
        #expect(Self.text(empty) == "HTTP/1.1 204 No Content\r\n\r\n")
        let custom = HTTPResponse(status: HTTPStatus(code: 299, reasonPhrase: "Custom"))
        #expect(Self.text(custom) == "HTTP/1.1 299 Custom\r\nContent-Length: 0\r\n\r\n")
    }

    @Test("CR/LF in values cannot inject header lines")
    func noHeaderInjection() {
        let response = HTTPResponse(status: .ok, headers: ["X-Name": "a\r\nSet-Cookie: evil=1", "Bad Name": "v"])
        let text = Self.text(response)
        #expect(text.contains("X-Name: a  Set-Cookie: evil=1\r\n"))
        #expect(text.contains("Bad-Name: v\r\n"))
        #expect(!text.contains("\r\nSet-Cookie"))
    }

    @Test("parse errors map to responses with the right status")
    func parseErrorResponses() {
        #expect(HTTPParseError.requestLineTooLong.response.status.code == 414)
        #expect(HTTPParseError.headTooLarge.response.status.code == 431)
        #expect(HTTPParseError.tooManyHeaders.response.status.code == 431)
        #expect(HTTPParseError.unsupportedVersion(HTTPVersion(major: 2, minor: 0)).response.status.code == 505)
        #expect(HTTPParseError.unsupportedTransferEncoding.response.status.code == 501)
        #expect(HTTPParseError.obsoleteLineFolding.response.status.code == 400)
    }

    @Test("responses append to an OutputBuffer after bytes already queued")
    func appendsToBuffer() {
        var output = OutputBuffer()
        output.append(contentsOf: [1, 2])
        HTTPResponse.badRequest("x").serialize(into: &output)
        #expect(output.bytes.prefix(2) == [1, 2])
        #expect(output.count == 2 + HTTPResponse.badRequest("x").serializedBytes.count)
    }
}
