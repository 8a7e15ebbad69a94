import Testing
@testable import WSKitProtocol

@Suite("RFC 6455 §4.1 — client opening handshake")
struct RFC6455_4_1_ClientHandshakeTests {
    static let rfcKey = "dGhlIHNhbXBsZSBub25jZQ=="

    static func handshake(subprotocols: [String] = ["chat", "superchat"], extensions: [WebSocketExtensionOffer] = []) -> WebSocketClientHandshake {
        WebSocketClientHandshake(
            host: "server.example.com",
            target: "/chat",
            key: rfcKey,
            subprotocols: subprotocols,
            extensions: extensions,
            origin: "http://example.com"
        )
    }

    /// The 101 of RFC 6455 §1.3 plus `extra` fields, or with `fields` replaced.
    static func response(status: Int = 101, _ fields: [(String, String)]? = nil, extra: [(String, String)] = []) -> HTTPResponseHead {
        let base = fields ?? [
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
            ("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
        ]
        return HTTPResponseHead(status: HTTPStatus(code: status), headers: HTTPHeaders(base + extra))
    }

    static func error(_ result: Result<WebSocketClientHandshake.Accepted, WebSocketClientHandshakeError>) -> WebSocketClientHandshakeError? {
        if case let .failure(error) = result { return error }
        return nil
    }

    // MARK: The request

    @Test("the request is the RFC 6455 §1.2 handshake, byte for byte")
    func requestBytes() {
        let text = String(decoding: Self.handshake().requestBytes, as: UTF8.self)
        #expect(text == "GET /chat HTTP/1.1\r\n"
            + "Host: server.example.com\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "Origin: http://example.com\r\n"
            + "Sec-WebSocket-Protocol: chat, superchat\r\n"
            + "\r\n")
    }

    @Test("extension offers, query and extra headers are written; the server side accepts the result")
    func requestRoundTrip() throws {
        let offer = WebSocketExtensionOffer(name: "permessage-deflate", parameters: [.init(name: "client_max_window_bits")])
        let client = WebSocketClientHandshake(
            host: "localhost:9001",
            target: "/ws?token=abc",
            subprotocols: ["v2.json"],
            extensions: [offer],
            extraHeaders: ["Authorization": "Bearer t"]
        )
        var parser = HTTPRequestParser()
        guard case let .complete(head, consumed) = parser.parse(client.requestBytes) else {
            Issue.record("the server could not parse the client's request")
            return
        }
        #expect(consumed == client.requestBytes.count)
        #expect(head.path == "/ws" && head.queryValue("token") == "abc")
        #expect(head.headers["Authorization"] == "Bearer t")
        let request = try WebSocketHandshake.validateUpgrade(head).get()
        #expect(request.key == client.key)
        #expect(request.host == "localhost:9001")
        #expect(request.subprotocols == ["v2.json"])
        #expect(request.extensions == [offer])
        #expect(request.origin == nil)
        #expect(WebSocketHandshake.acceptValue(forKey: request.key) == client.expectedAcceptValue)
    }

    @Test("generated keys are base64 of 16 bytes, come from the injected generator, and differ")
    func keys() {
        var generator = SeededGenerator(state: 1)
        let first = WebSocketClientHandshake.generateKey(using: &generator)
        let second = WebSocketClientHandshake.generateKey(using: &generator)
        var replay = SeededGenerator(state: 1)
        #expect(WebSocketClientHandshake.generateKey(using: &replay) == first)
        #expect(first != second)
        #expect(Base64.decode(first)?.count == 16)
        #expect(WebSocketClientHandshake.generateKey() != WebSocketClientHandshake.generateKey())
        #expect(WebSocketClientHandshake.key(fromBytes: Array(1 ... 16)) == "AQIDBAUGBwgJCgsMDQ4PEA==")
        #expect(Self.handshake().expectedAcceptValue == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    // MARK: Validating the response

    @Test("the RFC's 101 is accepted; the selected subprotocol is reported")
    func validResponse() throws {
        let accepted = try Self.handshake().validate(response: Self.response(extra: [("Sec-WebSocket-Protocol", "chat")])).get()
        #expect(accepted.subprotocol == "chat")
        #expect(accepted.extensions.isEmpty)
        let none = try Self.handshake().validate(response: Self.response()).get()
        #expect(none.subprotocol == nil)
    }

    @Test("Upgrade and Connection match case-insensitively; Connection may list other tokens")
    func caseInsensitiveResponse() {
        let response = Self.response([
            ("upgrade", "WebSocket"),
            ("connection", "keep-alive, upgrade"),
            ("sec-websocket-accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
        ])
        #expect(Self.error(Self.handshake().validate(response: response)) == nil)
    }

    @Test("an accepted extension that was offered is reported with the server's parameters")
    func acceptedExtension() throws {
        let offer = WebSocketExtensionOffer(name: "permessage-deflate", parameters: [.init(name: "client_max_window_bits")])
        let response = Self.response(extra: [("Sec-WebSocket-Extensions", "permessage-deflate; server_no_context_takeover")])
        let accepted = try Self.handshake(extensions: [offer]).validate(response: response).get()
        #expect(accepted.extensions == [WebSocketExtensionOffer(name: "permessage-deflate", parameters: [.init(name: "server_no_context_takeover")])])
    }

    @Test("each broken rule fails the connection with its error", arguments: [
        (response(status: 200), WebSocketClientHandshakeError.unexpectedStatus(.ok)),
        (response(status: 403), .unexpectedStatus(.forbidden)),
        (response([("Connection", "Upgrade"), ("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")]), .invalidUpgradeHeader),
        (response([("Upgrade", "websocket, h2c"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")]), .invalidUpgradeHeader),
        (response([("Upgrade", "websocket"), ("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")]), .invalidConnectionHeader),
        (response([("Upgrade", "websocket"), ("Connection", "close"), ("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")]), .invalidConnectionHeader),
        (response([("Upgrade", "websocket"), ("Connection", "Upgrade")]), .missingAccept),
        (response([("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", "HSmrc0sMlYUkAGmm5OPpG2HaGWk=")]), .wrongAccept("HSmrc0sMlYUkAGmm5OPpG2HaGWk=")),
        (response([("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", "S3PPLMBITXAQ9KYGZZHZRBK+XOO=")]), .wrongAccept("S3PPLMBITXAQ9KYGZZHZRBK+XOO=")),
        (response(extra: [("Sec-WebSocket-Protocol", "mqtt")]), .subprotocolNotOffered("mqtt")),
        (response(extra: [("Sec-WebSocket-Protocol", "Chat")]), .subprotocolNotOffered("Chat")),
        (response(extra: [("Sec-WebSocket-Protocol", "chat, superchat")]), .malformedSubprotocol),
        (response(extra: [("Sec-WebSocket-Protocol", "chat"), ("Sec-WebSocket-Protocol", "chat")]), .malformedSubprotocol),
        (response(extra: [("Sec-WebSocket-Extensions", "permessage-deflate")]), .extensionNotOffered("permessage-deflate")),
        (response(extra: [("Sec-WebSocket-Extensions", "permessage-deflate; x=\"a b\"")]), .malformedExtensions),
    ])
    func failures(response: HTTPResponseHead, error: WebSocketClientHandshakeError) {
        #expect(Self.error(Self.handshake().validate(response: response)) == error)
    }

    @Test("an extension accepted twice fails, even though it was offered")
    func extensionAcceptedTwice() {
        let offer = WebSocketExtensionOffer(name: "permessage-deflate")
        let response = Self.response(extra: [("Sec-WebSocket-Extensions", "permessage-deflate, permessage-deflate")])
        #expect(Self.error(Self.handshake(extensions: [offer, offer]).validate(response: response)) == .extensionNotOffered("permessage-deflate"))
    }

    // MARK: Reading the response

    @Test("the response parser reads a 101 and reports the frame bytes behind it, at every split")
    func responseParser() throws {
        let head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"
        let frame: [UInt8] = [0x81, 0x02, 0x68, 0x69]
        let bytes = Array(head.utf8)
        for split in 1 ... bytes.count {
            var parser = HTTPResponseParser()
            var result = parser.parse(Array(bytes[..<split]))
            var offsetOfSecondRead = 0
            if split < bytes.count {
                guard case .needMoreData = result else {
                    Issue.record("split \(split): \(result)")
                    return
                }
                result = parser.parse(Array(bytes[split...]) + frame)
                offsetOfSecondRead = split
            }
            guard case let .complete(response, consumed) = result else {
                Issue.record("split \(split): \(result)")
                return
            }
            #expect(consumed == bytes.count - offsetOfSecondRead)
            #expect(response.status == .switchingProtocols)
            #expect(response.version == .http1_1)
            #expect(Self.error(Self.handshake().validate(response: response)) == nil)
        }
    }

    @Test("status lines: reason phrase kept, optional, malformed ones rejected")
    func statusLines() {
        func parse(_ line: String) -> HTTPResponseParser.Result {
            var parser = HTTPResponseParser()
            return parser.parse(Array((line + "\r\n\r\n").utf8))
        }
        if case let .complete(head, _) = parse("HTTP/1.1 101 Web Socket Protocol Handshake") {
            #expect(head.status.code == 101 && head.status.reasonPhrase == "Web Socket Protocol Handshake")
        } else { Issue.record("reason phrase with spaces rejected") }
        if case let .complete(head, _) = parse("HTTP/1.1 101") {
            #expect(head.status.code == 101 && head.status.reasonPhrase == "")
        } else { Issue.record("missing reason phrase rejected") }
        for bad in ["HTTP/1.1 1011 X", "HTTP/1.1 10 X", "HTTP/1.1  101 X", "HTTP/1.1 abc X", "HTTP/1.1 099 X", "ICY 200 OK", "HTTP/1.1 101 A\u{1}"] {
            guard case .failure = parse(bad) else {
                Issue.record("accepted \(bad)")
                continue
            }
        }
        guard case .failure(.unsupportedVersion) = parse("HTTP/2.0 101 X") else {
            Issue.record("accepted HTTP/2.0")
            return
        }
    }
}
