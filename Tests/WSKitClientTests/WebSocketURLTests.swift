import Testing
@testable import WSKitClient

@Suite("WebSocketURL")
struct WebSocketURLTests {
    @Test("parses scheme, host, port, path and query")
    func parse() throws {
        let url = try WebSocketURL("ws://example.com:8080/chat?room=1")
        #expect(!url.secure)
        #expect(url.host == "example.com")
        #expect(url.port == 8080)
        #expect(url.requestTarget == "/chat?room=1")
        #expect(url.hostHeader == "example.com:8080")
        let secure = try WebSocketURL("WSS://example.com")
        #expect(secure.secure && secure.port == 443 && secure.requestTarget == "/" && secure.hostHeader == "example.com")
        let v6 = try WebSocketURL("ws://[::1]:9001")
        #expect(v6.host == "::1" && v6.port == 9001 && v6.hostHeader == "[::1]:9001")
        #expect(try WebSocketURL("ws://h/a b?q=é").requestTarget == "/a%20b?q=%C3%A9")
    }

    @Test("rejects other schemes, user info, fragments, bad ports")
    func reject() {
        #expect(throws: WebSocketURLError.self) { try WebSocketURL("http://example.com") }
        #expect(throws: WebSocketURLError.userInfoNotAllowed) { try WebSocketURL("ws://u:p@example.com") }
        #expect(throws: WebSocketURLError.fragmentNotAllowed) { try WebSocketURL("ws://example.com/#x") }
        #expect(throws: WebSocketURLError.self) { try WebSocketURL("ws://example.com:0") }
        #expect(throws: WebSocketURLError.self) { try WebSocketURL("ws://:80") }
    }

    @Test("settingQueryItem replaces the parameter and percent-encodes the value")
    func query() throws {
        let url = try WebSocketURL("ws://h/ws?access_token=old&room=1")
        #expect(url.settingQueryItem(name: "access_token", value: "a+b/c=").requestTarget
                == "/ws?room=1&access_token=a%2Bb%2Fc%3D")
        #expect(try WebSocketURL("ws://h").settingQueryItem(name: "t", value: "x").requestTarget == "/?t=x")
    }
}
