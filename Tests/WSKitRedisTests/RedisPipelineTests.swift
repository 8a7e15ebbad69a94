import Testing
import WSKitRedis
import WSKitLiveFixtures

@Suite("Pipelining: many commands in flight, replies matched in order")
struct RedisPipelineTests {
    @Test("10,000 concurrent sends each get their own reply")
    func concurrentSends() async throws {
        let server = try await RedisServerProcess()
        let redis = try await RedisConnection.connect(server.configuration())
        defer { redis.close() }
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for index in 0 ..< 10_000 {
                group.addTask {
                    let reply = try? await redis.send(["ECHO", RedisArgument("value-\(index)")])
                    return reply == bulk("value-\(index)") ? 0 : 1
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
        #expect(try await redis.send(["DBSIZE"]) == .integer(0))
    }

    @Test("pipeline() writes 10,000 commands at once and returns their outcomes in order")
    func batch() async throws {
        let server = try await RedisServerProcess()
        let redis = try await RedisConnection.connect(server.configuration())
        defer { redis.close() }
        let commands: [[RedisArgument]] = (0 ..< 10_000).map { _ in ["INCR", "counter"] }
        let results = try await redis.pipeline(commands)
        #expect(results.count == 10_000)
        let values = results.map { try? $0.get() }
        #expect(values == (1 ... 10_000).map { RedisValue.integer(Int64($0)) })
    }

    @Test("an error reply inside a pipeline fails only its own command")
    func errorInBatch() async throws {
        let server = try await RedisServerProcess()
        let redis = try await RedisConnection.connect(server.configuration())
        defer { redis.close() }
        let results = try await redis.pipeline([["SET", "s", "x"], ["INCR", "s"], ["GET", "s"]])
        #expect(try results[0].get() == .simpleString("OK"))
        guard case let .failure(.server(error)) = results[1] else {
            Issue.record("expected a server error, got \(results[1])")
            return
        }
        #expect(error.code == "ERR")
        #expect(try results[2].get() == bulk("x"))
    }
}
