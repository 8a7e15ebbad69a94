import Testing
import WSKitRedis
import WSKitLiveFixtures

@Suite("Commands against a real redis-server")
struct RedisCommandTests {
    @Test("SET/GET, binary values, integers, null and error replies")
    func basics() async throws {
        let server = try await RedisServerProcess()
        let redis = try await RedisConnection.connect(server.configuration())
        defer { redis.close() }
        #expect(redis.state == .connected)
        #expect(try await redis.ping() == "PONG")
        #expect(try await redis.send(["SET", "greeting", "hello"]) == .simpleString("OK"))
        #expect(try await redis.send(["GET", "greeting"]) == bulk("hello"))
        let binary: [UInt8] = [0, 1, 13, 10, 255, 0]
        _ = try await redis.send(["SET", "bin", .bytes(binary)])
        #expect(try await redis.send(["GET", "bin"]).bytes == binary)
        #expect(try await redis.send(["INCRBY", "n", 41]) == .integer(41))
        #expect(try await redis.send(["INCR", "n"]).int == 42)
        #expect(try await redis.send(["GET", "missing"]) == .null)
        let error = await redisError { () async throws(RedisError) in try await redis.send(["LPUSH", "greeting", "x"]) }
        guard case let .server(serverError) = error else {
            Issue.record("expected a server error, got \(String(describing: error))")
            return
        }
        #expect(serverError.code == "WRONGTYPE")
        #expect(try await redis.send(["GET", "greeting"]) == bulk("hello"), "an error reply does not disturb the next command")
    }

    @Test("RESP3 is negotiated by default: maps, sets, doubles, booleans come typed")
    func resp3() async throws {
        let server = try await RedisServerProcess()
        let redis = try await RedisConnection.connect(server.configuration())
        defer { redis.close() }
        #expect(redis.protocolVersion == .resp3)
        _ = try await redis.send(["HSET", "h", "a", "1"])
        #expect(try await redis.send(["HGETALL", "h"]) == .map([(bulk("a"), bulk("1"))]))
        _ = try await redis.send(["SADD", "s", "x"])
        #expect(try await redis.send(["SMEMBERS", "s"]) == .set([bulk("x")]))
        _ = try await redis.send(["ZADD", "z", "2.5", "m"])
        #expect(try await redis.send(["ZSCORE", "z", "m"]) == .double(2.5))
        #expect(try await redis.send(["EVAL", "return redis.setresp(3) or true", 0]) == .boolean(true))
        #expect(try await redis.send(["GET", "nothing"]) == .null)
    }

    @Test("RESP2 when asked for: the same commands answer with arrays and bulk strings")
    func resp2() async throws {
        let server = try await RedisServerProcess()
        let redis = try await RedisConnection.connect(server.configuration(protocolVersion: .resp2))
        defer { redis.close() }
        #expect(redis.protocolVersion == .resp2)
        _ = try await redis.send(["HSET", "h", "a", "1"])
        #expect(try await redis.send(["HGETALL", "h"]) == .array([bulk("a"), bulk("1")]))
        _ = try await redis.send(["ZADD", "z", "2.5", "m"])
        #expect(try await redis.send(["ZSCORE", "z", "m"]) == bulk("2.5"))
        #expect(try await redis.send(["HELLO"]).array != nil, "HELLO without a version answers without switching")
    }

    @Test("a server that does not know HELLO gets RESP2, and the connection works")
    func helloFallback() async throws {
        let server = try await RedisServerProcess(arguments: ["--rename-command", "HELLO", ""])
        let redis = try await RedisConnection.connect(server.configuration())
        defer { redis.close() }
        #expect(redis.protocolVersion == .resp2)
        #expect(try await redis.send(["SET", "k", "v"]) == .simpleString("OK"))
        #expect(try await redis.send(["GET", "k"]) == bulk("v"))
    }

    @Test("SELECT from the configuration and from the URL")
    func database() async throws {
        let server = try await RedisServerProcess()
        var configuration = try RedisConfiguration(url: "redis://127.0.0.1:\(server.port)/5")
        configuration.clientName = "wskit-test"
        let redis = try await RedisConnection.connect(configuration)
        defer { redis.close() }
        let info = try await redis.send(["CLIENT", "INFO"]).string ?? ""
        #expect(info.contains(" db=5 "))
        #expect(info.contains(" name=wskit-test "))
        _ = try await redis.send(["SET", "only-in-5", "1"])
        let other = try await RedisConnection.connect(server.configuration())
        defer { other.close() }
        #expect(try await other.send(["EXISTS", "only-in-5"]) == .integer(0))
    }

    @Test("large values: a 5 MB bulk string both ways")
    func largeValue() async throws {
        let server = try await RedisServerProcess()
        let redis = try await RedisConnection.connect(server.configuration())
        defer { redis.close() }
        let payload = (0 ..< 5_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        _ = try await redis.send(["SET", "big", .bytes(payload)])
        #expect(try await redis.send(["GET", "big"]).bytes == payload)
    }

    @Test("a reply over the configured bulk limit drops the connection with a protocol violation")
    func limitsProtectTheClient() async throws {
        let server = try await RedisServerProcess()
        var configuration = server.configuration()
        configuration.limits = RESPLimits(maxBulkLength: 1000)
        let redis = try await RedisConnection.connect(configuration)
        defer { redis.close() }
        _ = try await redis.send(["SET", "big", .bytes([UInt8](repeating: 1, count: 2000))])
        let error = await redisError { () async throws(RedisError) in try await redis.send(["GET", "big"]) }
        #expect(error == .protocolViolation(.bulkTooLong(length: 2000, limit: 1000)))
        #expect(await eventually { redis.state == .connected }, "it reconnects afterwards")
        #expect(try await redis.send(["STRLEN", "big"]) == .integer(2000))
    }

    @Test("close: later commands fail with .closed and the state stream ends")
    func close() async throws {
        let server = try await RedisServerProcess()
        let redis = try await RedisConnection.connect(server.configuration())
        let states = redis.stateChanges()
        redis.close()
        #expect(redis.state == .closed)
        #expect(await redisError { () async throws(RedisError) in try await redis.send(["PING"]) } == .closed)
        var seen: [RedisConnectionState] = []
        for await state in states { seen.append(state) }
        #expect(seen == [.connected, .closed])
    }
}
