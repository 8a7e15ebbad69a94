import Glibc
import Testing
import WSKit
import WSKitContract
import WSKitRateLimit
import WSKitLiveFixtures

/// The rate limit plugin hosted on the epoll server, driven over real sockets. Blocking socket
/// work runs on threads of its own (`runBlocking`), never on the cooperative pool.
@Suite("Rate limit over real sockets")
struct RateLimitOverServerTests {
    static func json(_ frame: RawClient.Frame) throws -> JSONValue {
        try frame.payload.withUnsafeBytes { try JSON.parse($0) }
    }

    @Test("events over the limit get ERROR, RPCs a correlated RPC_ERROR; the handler never sees them; users are separate")
    func limitedOverTheWire() async throws {
        let counter = Counter()
        let plugin = RateLimitPlugin<User>(
            limiter: MemoryRateLimiter(policy: RateLimitPolicy(capacity: 3, tokensPerSecond: 0.01)))
        let runtime = try limitedRouter(counter).build(plugins: LimitedPlugins(rateLimit: plugin))
        try await runBlocking {
            let server = WebSocketServer(configuration: testConfiguration(loops: 2), router: runtime) { request in
                .accept(User(id: request.head.queryValue("user")))
            }
            try server.start()
            defer { server.shutdown() }
            let alice = try RawClient.upgraded(port: server.port, path: "/?user=alice")
            var echoes = 0
            var limited: [JSONValue] = []
            for n in 0 ..< 5 {
                alice.sendText(#"{"type":"CHAT","payload":{"text":"\#(n)"}}"#)
                let reply = try Self.json(alice.readFrame())
                if reply["type"]?.stringValue == "ECHOED" { echoes += 1 } else { limited.append(reply) }
            }
            #expect(echoes == 3)
            #expect(limited.count == 2)
            for reply in limited {
                #expect(reply["type"]?.stringValue == "ERROR")
                #expect(reply["meta"]?["correlationId"] == nil)
                #expect(reply["payload"]?["code"]?.stringValue == "RESOURCE_EXHAUSTED")
                #expect(reply["payload"]?["retryable"]?.boolValue == true)
                #expect((reply["payload"]?["retryAfterMs"]?.doubleValue ?? 0) > 90_000)
                #expect(reply["payload"]?["details"]?["capacity"]?.doubleValue == 3)
            }
            for n in 0 ..< 4 {
                alice.sendText(#"{"type":"LOOKUP","meta":{"correlationId":"q\#(n)"},"payload":{"id":"x"}}"#)
            }
            var answers: [String: String] = [:]
            for _ in 0 ..< 4 {
                let reply = try Self.json(alice.readFrame())
                answers[reply["meta"]?["correlationId"]?.stringValue ?? "?"] = reply["type"]?.stringValue
            }
            #expect(answers.values.filter { $0 == "FOUND" }.count == 3)
            #expect(answers.values.filter { $0 == "RPC_ERROR" }.count == 1)
            #expect(Set(answers.keys) == ["q0", "q1", "q2", "q3"])
            let bob = try RawClient.upgraded(port: server.port, path: "/?user=bob")
            bob.sendText(#"{"type":"CHAT","payload":{"text":"hi"}}"#)
            #expect(try Self.json(bob.readFrame())["type"]?.stringValue == "ECHOED")
        }
        #expect(counter[Chat.type] == 4)
        #expect(counter[Lookup.type] == 3)
    }
}
