import Testing
@testable import WSKitProtocol

@Suite("RFC 6455 §4.2.1 — reading the client's opening handshake")
struct RFC6455_4_2_1_ServerHandshakeTests {
    /// The valid handshake of RFC 6455 §1.2, as fields.
    static let valid: [(String, String)] = [
        ("Host", "server.example.com"),
        ("Upgrade", "websocket"),
        ("Connection", "Upgrade"),
        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
        ("Origin", "http://example.com"),
        ("Sec-WebSocket-Protocol", "chat, superchat"),
        ("Sec-WebSocket-Version", "13"),
    ]

    static func head(
        method: String = "GET",
        version: HTTPVersion = .http1_1,
        removing removed: String? = nil,
        replacing replaced: (String, String)? = nil,
        adding added: [(String, String)] = []
    ) -> HTTPRequestHead {
        var headers = HTTPHeaders(valid)
        if let removed { headers.remove(name: removed) }
        if let replaced { headers.replaceOrAdd(name: replaced.0, value: replaced.1) }
        for (name, value) in added { headers.add(name: name, value: value) }
        return HTTPRequestHead(method: method, target: "/chat", version: version, headers: headers)
    }

    static func refusal(_ head: HTTPRequestHead) -> HandshakeRefusal? {
        if case let .failure(refusal) = WebSocketHandshake.validateUpgrade(head) { return refusal }
        return nil
    }

    @Test("the RFC's example handshake is valid and exposes key, host, origin and subprotocols")
    func validHandshake() throws {
        let request = try WebSocketHandshake.validateUpgrade(Self.head()).get()
        #expect(request.key == "dGhlIHNhbXBsZSBub25jZQ==")
        #expect(request.host == "server.example.com")
        #expect(request.origin == "http://example.com")
        #expect(request.subprotocols == ["chat", "superchat"])
        #expect(request.extensions.isEmpty)
        #expect(request.path == "/chat")
        #expect(request.selectSubprotocol(from: ["superchat", "chat"]) == "chat")
        #expect(request.selectSubprotocol(from: ["other"]) == nil)
    }

    @Test("the parsed bytes of a browser request validate end to end")
    func parsedRequest() throws {
        var parser = HTTPRequestParser()
        let text = "GET /ws HTTP/1.1\r\nHost: localhost:8080\r\nConnection: keep-alive, Upgrade\r\n"
            + "Upgrade: WebSocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\r\n"
            + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"
        guard case let .complete(head, _) = parser.parse(Array(text.utf8)) else {
            Issue.record("parse failed")
            return
        }
        let request = try WebSocketHandshake.validateUpgrade(head).get()
        #expect(request.extensions == [WebSocketExtensionOffer(name: "permessage-deflate", parameters: [.init(name: "client_max_window_bits")])])
        #expect(request.origin == nil)
    }

    @Test("header names, Upgrade and Connection tokens match case-insensitively; Connection may list other tokens")
    func caseInsensitive() {
        var headers = HTTPHeaders()
        headers.add(name: "host", value: "h")
        headers.add(name: "UPGRADE", value: "WebSocket")
        headers.add(name: "connection", value: "keep-alive,  upgrade ")
        headers.add(name: "sec-websocket-key", value: "dGhlIHNhbXBsZSBub25jZQ==")
        headers.add(name: "SEC-WEBSOCKET-VERSION", value: "13")
        let head = HTTPRequestHead(method: "GET", target: "/", headers: headers)
        #expect(WebSocketHandshake.isUpgradeRequest(head))
        #expect(Self.refusal(head) == nil)
    }

    @Test("each broken rule yields its refusal and status", arguments: [
        (head(method: "POST"), HandshakeRefusal.Reason.methodNotGet, 405),
        (head(method: "get"), .methodNotGet, 405),
        (head(version: .http1_0), .httpVersionTooOld, 400),
        (head(removing: "Host"), .missingHost, 400),
        (head(removing: "Upgrade"), .missingUpgradeWebSocket, 400),
        (head(replacing: ("Upgrade", "h2c")), .missingUpgradeWebSocket, 400),
        (head(removing: "Connection"), .missingConnectionUpgrade, 400),
        (head(replacing: ("Connection", "keep-alive")), .missingConnectionUpgrade, 400),
        (head(replacing: ("Connection", "Upgraded")), .missingConnectionUpgrade, 400),
        (head(removing: "Sec-WebSocket-Version"), .unsupportedWebSocketVersion, 426),
        (head(replacing: ("Sec-WebSocket-Version", "8")), .unsupportedWebSocketVersion, 426),
        (head(replacing: ("Sec-WebSocket-Version", "13, 8")), .unsupportedWebSocketVersion, 426),
        (head(adding: [("Sec-WebSocket-Version", "13")]), .duplicateWebSocketVersion, 400),
        (head(removing: "Sec-WebSocket-Key"), .missingKey, 400),
        (head(replacing: ("Sec-WebSocket-Key", "")), .invalidKey, 400),
        (head(replacing: ("Sec-WebSocket-Key", "c2hvcnQ=")), .invalidKey, 400),                     // 5 bytes
        (head(replacing: ("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAAAA")), .invalidKey, 400),     // 18 bytes
        (head(replacing: ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ")), .invalidKey, 400),       // unpadded
        (head(replacing: ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ!=")), .invalidKey, 400),     // not base64
        (head(adding: [("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")]), .invalidKey, 400),
        (head(adding: [("Content-Length", "5")]), .unexpectedBody, 400),
        (head(adding: [("Transfer-Encoding", "chunked")]), .unexpectedBody, 400),
        (head(replacing: ("Sec-WebSocket-Protocol", "chat, super chat")), .malformedSubprotocols, 400),
        (head(replacing: ("Sec-WebSocket-Protocol", "chat; v=1")), .malformedSubprotocols, 400),
        (head(adding: [("Sec-WebSocket-Extensions", "permessage-deflate; =1")]), .malformedExtensions, 400),
    ])
    func refusals(head: HTTPRequestHead, reason: HandshakeRefusal.Reason, status: Int) throws {
        let refusal = try #require(Self.refusal(head))
        #expect(refusal.reason == reason)
        #expect(refusal.status.code == status)
        #expect(refusal.response.headers["Connection"] == "close")
        #expect(refusal.response.headers["Content-Type"] == "text/plain; charset=utf-8")
        #expect(!refusal.response.body.isEmpty)
    }

    @Test("an unsupported version is answered 426 with Sec-WebSocket-Version: 13 (§4.2.2, §4.4)")
    func versionNegotiation() throws {
        let refusal = try #require(Self.refusal(Self.head(replacing: ("Sec-WebSocket-Version", "7"))))
        #expect(refusal.response.status == .upgradeRequired)
        #expect(refusal.response.headers["Sec-WebSocket-Version"] == "13")
    }

    @Test("a non-GET upgrade is answered 405 with Allow: GET")
    func methodNotAllowed() throws {
        let refusal = try #require(Self.refusal(Self.head(method: "POST")))
        #expect(refusal.response.headers["Allow"] == "GET")
    }

    @Test("Content-Length: 0 is not a body; HTTP/2-over-text versions above 1.1 pass the version rule")
    func tolerated() {
        #expect(Self.refusal(Self.head(adding: [("Content-Length", "0")])) == nil)
        #expect(Self.refusal(Self.head(version: HTTPVersion(major: 1, minor: 2))) == nil)
    }

    @Test("subprotocols from several fields are collected in order; empty elements are ignored")
    func subprotocolLists() throws {
        let head = Self.head(replacing: ("Sec-WebSocket-Protocol", "a,, b"), adding: [("sec-websocket-protocol", "c")])
        #expect(try WebSocketHandshake.validateUpgrade(head).get().subprotocols == ["a", "b", "c"])
    }

    @Test("isUpgradeRequest tells upgrades from plain HTTP requests")
    func routing() {
        #expect(WebSocketHandshake.isUpgradeRequest(Self.head()))
        #expect(WebSocketHandshake.isUpgradeRequest(Self.head(replacing: ("Upgrade", "foo, WEBSOCKET"))))
        #expect(!WebSocketHandshake.isUpgradeRequest(Self.head(removing: "Upgrade")))
        #expect(!WebSocketHandshake.isUpgradeRequest(Self.head(replacing: ("Upgrade", "h2c"))))
        #expect(!WebSocketHandshake.isUpgradeRequest(HTTPRequestHead(method: "GET", target: "/", headers: ["Host": "h"])))
    }
}
