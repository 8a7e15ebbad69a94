import Glibc
import Testing
import WSKit
import WSKitContract
import WSKitMessaging
import WSKitRPC
import WSKitRateLimit
import WSKitRateLimitRedis
import WSKitRedis
import WSKitLiveFixtures
import WSKitTesting
import WSKitValidation

struct Member: Sendable, RateLimitIdentifiable {
    var user: String
    var rateLimitUserId: String? { user }
}

struct Ask: RPC {
    struct Payload: Codable, Sendable { var q: String }
    typealias Response = Answer.Payload
    static let responseType = Answer.type
    static let type = "ASK"
}

struct Answer: Message {
    struct Payload: Codable, Sendable { var a: String }
    static let type = "ANSWER"
}

struct SharedPlugins: MessagingInstalled, RPCInstalled {
    var messaging = MessagingPlugin()
    var rpc = RPCPlugin()
    var rateLimit: RateLimitPlugin<Member>
}

/// One limit shared by several routers: two harness routers on one Redis in this process, and two
/// server processes on one Redis.
@Suite("A rate limit shared through Redis", .serialized)
struct SharedLimitTests {
    static func router() -> Router<Member, SharedPlugins> {
        let router = Router<Member, SharedPlugins>()
        router.rpc(Ask.self) { ctx in ctx.reply(.init(a: ctx.payload.q)) }
        return router
    }

    @Test("two routers on one Redis share the user's bucket; the RPC over the limit gets a correlated RPC_ERROR")
    func twoRoutersOneBucket() async throws {
        let server = try await RedisServerProcess()
        let first = try await server.connect()
        let second = try await server.connect()
        defer {
            first.close()
            second.close()
        }
        let policy = RateLimitPolicy(capacity: 4, tokensPerSecond: 0.001, prefix: "h:")
        let east = try TestHarness(Self.router(), plugins: SharedPlugins(
            rateLimit: RateLimitPlugin(limiter: RedisRateLimiter(first, policy: policy), key: .perUser)))
        let west = try TestHarness(Self.router(), plugins: SharedPlugins(
            rateLimit: RateLimitPlugin(limiter: RedisRateLimiter(second, policy: policy), key: .perUser)))
        let onEast = await east.connect(data: Member(user: "alice"))
        let onWest = await west.connect(data: Member(user: "alice"))
        var replies = 0
        var errors: [RPCResult<Ask>] = []
        for round in 0 ..< 4 {
            for client in [onEast, onWest] {
                let call = try await Self.settled(client.startCall(Ask.self, .init(q: "\(round)")), [east, west])
                if call.reply != nil { replies += 1 } else { errors.append(call) }
            }
        }
        #expect(replies == 4)
        #expect(errors.count == 4)
        for call in errors {
            #expect(call.error?.code == .resourceExhausted)
            #expect(call.terminalCount == 1)
            #expect(call.frames.first?.type == "RPC_ERROR")
            #expect(call.frames.first?.correlationId == call.correlationId)
            #expect((call.error?.retryAfterMs ?? 0) > 0)
        }
        // Bob's bucket is his own.
        let bob = await west.connect(data: Member(user: "bob"))
        let call = try await Self.settled(bob.startCall(Ask.self, .init(q: "hi")), [east, west])
        #expect(call.reply?.a == "hi")
        try await east.finish()
        try await west.finish()
    }

    /// Waits (in real time: Redis answers on its own thread) until the call settles.
    static func settled(
        _ pending: PendingCall<Ask, Member, SharedPlugins>, _ harnesses: [TestHarness<Member, SharedPlugins>]
    ) async throws -> RPCResult<Ask> {
        let deadline = monotonicSeconds() + 10
        while !pending.isSettled, monotonicSeconds() < deadline {
            for harness in harnesses { await harness.settle() }
            try await Task.sleep(for: .milliseconds(2))
        }
        return try pending.result()
    }

    @Test("two server processes on different ports share one limit through Redis")
    func twoServerProcesses() async throws {
        let server = try await RedisServerProcess()
        let node = try builtExecutable("WSKitRateLimitNode")
        var ports: [Int] = []
        var nodes: [ChildProcess] = []
        defer { for node in nodes { node.terminate() } }
        for index in 0 ..< 2 {
            // Port 0: each node binds a free port itself and announces it, so no other test can
            // take the port between our choice and the node's bind (and answer in its place).
            nodes.append(try ChildProcess(
                node, ["--port", "0", "--redis-port", "\(server.port)", "--capacity", "6", "--rate", "0.001", "--node", "\(index)"]))
            let line = try await nodes[index].waitForLine("READY <port>") { $0.hasPrefix("READY ") }
            ports.append(try #require(Int(line.dropFirst("READY ".count)), "\(line)"))
        }
        let outcome = try await runBlocking { [ports] () throws -> (pongs: [Int], limited: Int, bob: Bool) in
            let clients = try ports.map { try RawClient.upgraded(port: $0, path: "/?user=alice") }
            var pongs = [0, 0]
            var limited = 0
            for n in 0 ..< 10 {
                for (index, client) in clients.enumerated() {
                    client.sendText(#"{"type":"PING","payload":{"n":\#(n)}}"#)
                    let reply = try client.readFrame().payload.withUnsafeBytes { try JSON.parse($0) }
                    switch reply["type"]?.stringValue {
                    case "PONG": pongs[index] += 1
                    case "ERROR":
                        #expect(reply["payload"]?["code"]?.stringValue == "RESOURCE_EXHAUSTED")
                        #expect(reply["payload"]?["retryAfterMs"]?.doubleValue ?? 0 > 0)
                        limited += 1
                    default: Issue.record("unexpected reply \(reply)")
                    }
                }
            }
            let bob = try RawClient.upgraded(port: ports[1], path: "/?user=bob")
            bob.sendText(#"{"type":"PING","payload":{"n":0}}"#)
            let bobReply = try bob.readFrame().payload.withUnsafeBytes { try JSON.parse($0) }
            return (pongs, limited, bobReply["type"]?.stringValue == "PONG")
        }
        // Six tokens for alice across both processes: each node alone would have allowed six.
        #expect(outcome.pongs.reduce(0, +) == 6)
        #expect(outcome.pongs.allSatisfy { $0 > 0 })
        #expect(outcome.limited == 14)
        #expect(outcome.bob)
    }
}
