import Testing
@testable import WSKitRedis

@Suite("URL, backoff, handshake and script SHA-1: the client's sans-I/O parts")
struct ClientCoreTests {
    @Test("redis:// URLs")
    func urls() throws {
        let full = try RedisConfiguration(url: "redis://:s%40cret@cache.internal:6380/3")
        #expect(full.host == "cache.internal")
        #expect(full.port == 6380)
        #expect(full.password == "s@cret")
        #expect(full.username == nil)
        #expect(full.database == 3)

        let minimal = try RedisConfiguration(url: "redis://localhost")
        #expect(minimal.host == "localhost")
        #expect(minimal.port == 6379)
        #expect(minimal.password == nil)
        #expect(minimal.database == 0)

        let user = try RedisConfiguration(url: "redis://app:pw@[::1]:7000/")
        #expect(user.username == "app")
        #expect(user.password == "pw")
        #expect(user.host == "::1")
        #expect(user.port == 7000)

        #expect(try RedisConfiguration(url: "redis://secret@h").password == "secret")
        #expect(try RedisConfiguration(url: "redis://").host == "127.0.0.1")
    }

    @Test("bad URLs throw invalidURL", arguments: [
        "http://host", "rediss://host", "redis://host:0", "redis://host:70000", "redis://host:x",
        "redis://host/db", "redis://host/-1", "redis://[::1", "redis://::1:6379", "redis://host?x=1", "redis://:%zz@host",
    ])
    func badURLs(url: String) {
        #expect {
            try RedisConfiguration(url: url)
        } throws: { error in
            if case .invalidURL = error as? RedisError { return true }
            return false
        }
    }

    @Test("backoff grows exponentially, is capped, and jitters within its spread")
    func backoff() {
        let policy = RedisReconnectBackoff(initial: .milliseconds(100), maximum: .seconds(2), multiplier: 2, jitter: 0.2)
        #expect(policy.delay(afterFailedAttempt: 0, random: 0.5) == .milliseconds(100))
        #expect(policy.delay(afterFailedAttempt: 1, random: 0.5) == .milliseconds(200))
        #expect(policy.delay(afterFailedAttempt: 3, random: 0.5) == .milliseconds(800))
        #expect(policy.delay(afterFailedAttempt: 10, random: 0.5) == .seconds(2))
        #expect(policy.delay(afterFailedAttempt: 1_000_000, random: 0.5) == .seconds(2))
        #expect(policy.delay(afterFailedAttempt: 0, random: 0) == .milliseconds(80))
        #expect(policy.delay(afterFailedAttempt: 0, random: 0.999_999_999) > .milliseconds(119))
        #expect(policy.delay(afterFailedAttempt: 10, random: 0.999) == .seconds(2), "jitter never exceeds the maximum")
        let none = RedisReconnectBackoff(initial: .milliseconds(50), maximum: .seconds(1), jitter: 0)
        #expect(none.delay(afterFailedAttempt: 2, random: 0.9) == .milliseconds(200))
    }

    private func commandText(_ output: [UInt8]) throws -> [String] {
        var parser = RESPParser()
        parser.append(output)
        return try parser.next()?.array?.compactMap(\.string) ?? []
    }

    @Test("RESP3 handshake: HELLO 3 with AUTH and SETNAME, then SELECT")
    func helloHandshake() throws {
        let configuration = RedisConfiguration(username: "app", password: "pw", database: 2, clientName: "svc")
        var handshake = RedisHandshake(configuration: configuration)
        var output: [UInt8] = []
        #expect(handshake.start(into: &output) == .awaitReply)
        #expect(try commandText(output) == ["HELLO", "3", "AUTH", "app", "pw", "SETNAME", "svc"])
        output = []
        #expect(handshake.receive(.map([(bulk("proto"), .integer(3))]), into: &output) == .awaitReply)
        #expect(try commandText(output) == ["SELECT", "2"])
        output = []
        #expect(handshake.receive(.simpleString("OK"), into: &output) == .ready(.resp3))
        #expect(output.isEmpty)
    }

    @Test("a server without HELLO gets RESP2 AUTH, CLIENT SETNAME and SELECT")
    func fallback() throws {
        var handshake = RedisHandshake(configuration: RedisConfiguration(password: "pw", database: 1, clientName: "svc"))
        var output: [UInt8] = []
        _ = handshake.start(into: &output)
        output = []
        #expect(handshake.receive(.error("ERR unknown command 'HELLO', with args beginning with: '3'"), into: &output) == .awaitReply)
        #expect(try commandText(output) == ["AUTH", "pw"])
        output = []
        #expect(handshake.receive(.simpleString("OK"), into: &output) == .awaitReply)
        #expect(try commandText(output) == ["CLIENT", "SETNAME", "svc"])
        output = []
        #expect(handshake.receive(.simpleString("OK"), into: &output) == .awaitReply)
        #expect(try commandText(output) == ["SELECT", "1"])
        #expect(handshake.receive(.simpleString("OK"), into: &output) == .ready(.resp2))
    }

    @Test("authentication errors end the handshake instead of falling back")
    func authFailures() {
        var output: [UInt8] = []
        var hello = RedisHandshake(configuration: RedisConfiguration())
        _ = hello.start(into: &output)
        #expect(hello.receive(.error("NOAUTH HELLO must be called with the client already authenticated"), into: &output)
            == .failed(.authenticationFailed("NOAUTH HELLO must be called with the client already authenticated")))
        var wrong = RedisHandshake(configuration: RedisConfiguration(password: "x"))
        _ = wrong.start(into: &output)
        #expect(wrong.receive(.error("WRONGPASS invalid username-password pair"), into: &output)
            == .failed(.authenticationFailed("WRONGPASS invalid username-password pair")))
        var resp2 = RedisHandshake(configuration: RedisConfiguration(password: "x", protocolVersion: .resp2))
        _ = resp2.start(into: &output)
        #expect(resp2.receive(.error("ERR invalid password"), into: &output) == .failed(.authenticationFailed("ERR invalid password")))
    }

    @Test("RESP2 without password, name or database needs no command at all")
    func nothingToSend() {
        var output: [UInt8] = []
        var handshake = RedisHandshake(configuration: RedisConfiguration(protocolVersion: .resp2))
        #expect(handshake.start(into: &output) == .ready(.resp2))
        #expect(output.isEmpty)
    }

    @Test("script SHA-1 matches FIPS 180 vectors (one and several blocks)")
    func sha1() {
        #expect(RedisScript("").sha1 == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(RedisScript("abc").sha1 == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(RedisScript("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").sha1 == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        #expect(RedisScript(String(repeating: "a", count: 1_000_000)).sha1 == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }
}
