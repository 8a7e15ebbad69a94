import Testing
@testable import WSKitProtocol

@Suite("RFC 6455 §4.2.2 — Sec-WebSocket-Accept")
struct RFC6455_4_2_2_AcceptTests {
    @Test("the RFC's example key yields s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    func rfcExample() {
        #expect(WebSocketHandshake.acceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test("known key/accept pairs (RFC 6455 §1.3, MDN, an independent implementation)", arguments: [
        ("dGhlIHNhbXBsZSBub25jZQ==", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
        ("x3JJHMbDL1EzLkh9GBhXDw==", "HSmrc0sMlYUkAGmm5OPpG2HaGWk="),
        ("AQIDBAUGBwgJCgsMDQ4PEC==", "OfS0wDaT5NoxF2gqm7Zj2YtetzM="), // Python hashlib + base64
    ])
    func knownPairs(key: String, accept: String) {
        #expect(WebSocketHandshake.acceptValue(forKey: key) == accept)
    }

    @Test("the accept value is base64(SHA-1(key ++ GUID))")
    func definition() {
        let key = "AAAAAAAAAAAAAAAAAAAAAA=="
        let expected = Base64.encode(SHA1.hash(utf8: key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
        #expect(WebSocketHandshake.acceptValue(forKey: key) == expected)
        #expect(WebSocketHandshake.guid == "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
    }

    @Test("the 101 built from a validated request carries that request's accept value")
    func switchingProtocolsForRequest() throws {
        let head = HTTPRequestHead(method: "GET", target: "/chat", headers: [
            "Host": "server.example.com",
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version": "13",
        ])
        let request = try WebSocketHandshake.validateUpgrade(head).get()
        let response = HTTPResponse.switchingProtocols(for: request)
        #expect(response.headers["Sec-WebSocket-Accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(request.acceptValue == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }
}
