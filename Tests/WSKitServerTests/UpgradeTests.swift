import Synchronization
import Testing
import WSKitLiveFixtures
import WSKitProtocol
import WSKitServer

@Suite("HTTP upgrade and plain HTTP")
struct UpgradeTests {
    @Test("a request that is not an upgrade goes to the HTTP handler, 404 by default")
    func plainHTTP() async throws {
        try await runBlocking {
            try withServer(echoBehavior()) { _, port throws in
                let client = try RawClient(port: port)
                client.write(Array("GET /missing HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
                #expect(try client.readResponseHead().hasPrefix("HTTP/1.1 404"))
                #expect(client.waitForEOF())
            }
            let behavior = WebSocketBehavior<Void>(initial: (), message: { _, _ in }, http: { request in
                request.head.path == "/healthz" ? HTTPResponse(status: .ok, body: Array("ok".utf8)) : .notFound()
            })
            try withServer(behavior) { _, port throws in
                let client = try RawClient(port: port)
                client.write(Array("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
                let response = try client.readResponseHead()
                #expect(response.hasPrefix("HTTP/1.1 200"))
                #expect(response.hasSuffix("\r\n\r\nok"))
            }
        }
    }

    @Test("invalid handshakes are refused with the RFC's status codes")
    func invalidHandshakes() async throws {
        try await runBlocking {
            try withServer(echoBehavior()) { _, port throws in
                let missingKey = try RawClient(port: port)
                missingKey.write(Array("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n".utf8))
                #expect(try missingKey.readResponseHead().hasPrefix("HTTP/1.1 400"))

                let oldVersion = try RawClient(port: port)
                oldVersion.write(Array("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n".utf8))
                let response = try oldVersion.readResponseHead()
                #expect(response.hasPrefix("HTTP/1.1 426"))
                #expect(response.contains("Sec-WebSocket-Version: 13"))

                let garbage = try RawClient(port: port)
                garbage.write(Array("\u{1}\u{2} nonsense\r\n\r\n".utf8))
                #expect(try garbage.readResponseHead().hasPrefix("HTTP/1.1 400"))
                #expect(garbage.waitForEOF())
            }
        }
    }

    @Test("the upgrade hook sees path, query, headers and peer, and sets typed connection data")
    func upgradeHook() async throws {
        try await runBlocking {
            struct User: Sendable { let name: String }
            let seen = Recorder<String>()
            let behavior = WebSocketBehavior<User>(
                upgrade: { upgrade in
                    seen.append("\(upgrade.path) \(upgrade.head.query ?? "") \(upgrade.remoteAddress)")
                    guard upgrade.header("Authorization") == "Bearer good" else {
                        return .refuse(.unauthorized("bad token"))
                    }
                    return .accept(User(name: "ada"), headers: ["X-Session": "42"])
                },
                message: { ws, _ in ws.send(text: "hello \(ws.context.name)") }
            )
            try withServer(behavior) { _, port throws in
                let refused = try RawClient(port: port)
                #expect(try refused.handshake(path: "/chat?room=1").hasPrefix("HTTP/1.1 401"))
                let accepted = try RawClient(port: port)
                let head = try accepted.handshake(path: "/chat?room=1", headers: ["Authorization: Bearer good"])
                #expect(head.hasPrefix("HTTP/1.1 101"))
                #expect(head.contains("X-Session: 42"))
                accepted.sendText("hi")
                #expect(try accepted.readFrame().text == "hello ada")
                #expect(seen.all.first == "/chat room=1 127.0.0.1")
            }
        }
    }

    @Test("origins outside the allow-list get 403")
    func originAllowList() async throws {
        try await runBlocking {
            var configuration = testConfiguration()
            configuration.allowedOrigins = ["https://good.example"]
            try withServer(configuration, echoBehavior()) { _, port throws in
                #expect(try RawClient(port: port).handshake(headers: ["Origin: https://evil.example"]).hasPrefix("HTTP/1.1 403"))
                #expect(try RawClient(port: port).handshake().hasPrefix("HTTP/1.1 403"))
                #expect(try RawClient(port: port).handshake(headers: ["Origin: https://good.example"]).hasPrefix("HTTP/1.1 101"))
            }
        }
    }

    @Test("the first server-supported subprotocol the client offers is selected")
    func subprotocolSelection() async throws {
        try await runBlocking {
            var configuration = testConfiguration()
            configuration.subprotocols = ["wskit.v2", "wskit.v1"]
            try withServer(configuration, echoBehavior()) { _, port throws in
                let both = try RawClient(port: port).handshake(headers: ["Sec-WebSocket-Protocol: wskit.v1, wskit.v2"])
                #expect(both.contains("Sec-WebSocket-Protocol: wskit.v2"))
                let none = try RawClient(port: port).handshake(headers: ["Sec-WebSocket-Protocol: other"])
                #expect(none.hasPrefix("HTTP/1.1 101"))
                #expect(!none.contains("Sec-WebSocket-Protocol"))
            }
        }
    }

    @Test("connections beyond maxConnections are answered 503")
    func maxConnections() async throws {
        try await runBlocking {
            var configuration = testConfiguration()
            configuration.maxConnections = 2
            try withServer(configuration, echoBehavior()) { _, port throws in
                let first = try RawClient.upgraded(port: port)
                let second = try RawClient.upgraded(port: port)
                let third = try RawClient(port: port)
                #expect(try third.handshake().hasPrefix("HTTP/1.1 503"))
                _ = (first, second)
            }
        }
    }
}

@Suite("Bearer tokens at upgrade")
struct BearerTokenTests {
    static let behavior = WebSocketBehavior<String>(
        upgrade: { request in
            guard let token = request.bearerToken(), token.value == "s3cret" else { return .refuse(.unauthorized("invalid token")) }
            return .accept("user-1", subprotocol: token.subprotocolToSelect)
        },
        message: { ws, _ in ws.send(text: ws.context) }
    )

    @Test("a token in the query or in a bearer. subprotocol is read, and the subprotocol entry is selected")
    func tokenFromQueryOrSubprotocol() async throws {
        try await runBlocking {
            try withServer(Self.behavior) { _, port throws in
                let viaQuery = try RawClient(port: port)
                let queryHead = try viaQuery.handshake(path: "/?access_token=s3cret")
                #expect(queryHead.hasPrefix("HTTP/1.1 101"))
                #expect(!queryHead.contains("Sec-WebSocket-Protocol"))

                let viaProtocol = try RawClient(port: port)
                let protocolHead = try viaProtocol.handshake(headers: ["Sec-WebSocket-Protocol: wskit, bearer.s3cret"])
                #expect(protocolHead.hasPrefix("HTTP/1.1 101"))
                #expect(protocolHead.contains("Sec-WebSocket-Protocol: bearer.s3cret"))
                viaProtocol.sendText("who")
                #expect(try viaProtocol.readFrame().text == "user-1")

                #expect(try RawClient(port: port).handshake(headers: ["Sec-WebSocket-Protocol: bearer.wrong"]).hasPrefix("HTTP/1.1 401"))
                #expect(try RawClient(port: port).handshake().hasPrefix("HTTP/1.1 401"))
            }
        }
    }
}
