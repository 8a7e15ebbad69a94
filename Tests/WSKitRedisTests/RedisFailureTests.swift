import Testing
import WSKitRedis
import WSKitLiveFixtures

@Suite("Timeouts, disconnects and reconnects: nothing hangs")
struct RedisFailureTests {
    @Test("a command past its timeout fails with .timeout; its late reply is discarded, not given to the next command")
    func timeout() async throws {
        let server = try await RedisServerProcess()
        let redis = try await RedisConnection.connect(server.configuration())
        defer { redis.close() }
        _ = try await redis.send(["SET", "k", "v"])
        let start = monotonicSeconds()
        // The server answers BLPOP (with null) only after 3 s.
        let error = await redisError { () async throws(RedisError) in try await redis.send(["BLPOP", "empty", 3], timeout: .milliseconds(200)) }
        #expect(error == .timeout)
        #expect(monotonicSeconds() - start < 2.5)
        // Queued behind the blocked BLPOP on the server; each must get its own reply.
        #expect(try await redis.send(["GET", "k"]) == bulk("v"))
        #expect(try await redis.send(["ECHO", "after"]) == bulk("after"))
        #expect(redis.state == .connected)
    }

    @Test("a cancelled task's command fails with .cancelled at once")
    func cancellation() async throws {
        let server = try await RedisServerProcess()
        let redis = try await RedisConnection.connect(server.configuration())
        defer { redis.close() }
        let task = Task { () async -> RedisError? in
            await redisError { () async throws(RedisError) in try await redis.send(["BLPOP", "empty", 5], timeout: nil) }
        }
        try await Task.sleep(for: .milliseconds(100))
        let start = monotonicSeconds()
        task.cancel()
        #expect(await task.value == .cancelled)
        #expect(monotonicSeconds() - start < 2, "well before the server's reply after 5 s")
        #expect(try await redis.send(["ECHO", "next"]) == bulk("next"))
    }

    @Test("commands in flight when the server dies fail with .connectionLost; new ones fail fast with .notConnected")
    func pendingFailOnDisconnect() async throws {
        let server = try await RedisServerProcess()
        let redis = try await RedisConnection.connect(server.configuration())
        defer { redis.close() }
        let blocked = Task { () async -> RedisError? in
            await redisError { () async throws(RedisError) in try await redis.send(["BLPOP", "empty", 0], timeout: nil) }
        }
        let batch = Task { () async -> [Result<RedisValue, RedisError>]? in
            try? await redis.pipeline([["BLPOP", "other", 0], ["PING"]], timeout: nil)
        }
        try await Task.sleep(for: .milliseconds(200))
        server.kill()
        guard case .connectionLost = await blocked.value else {
            Issue.record("expected connectionLost")
            return
        }
        let outcomes = await batch.value
        #expect(outcomes?.count == 2)
        for outcome in outcomes ?? [] {
            guard case .failure(.connectionLost) = outcome else {
                Issue.record("expected connectionLost, got \(outcome)")
                continue
            }
        }
        #expect(await eventually { isDisconnected(redis.state) })
        let start = monotonicSeconds()
        #expect(await redisError { () async throws(RedisError) in try await redis.send(["PING"]) } == .notConnected)
        #expect(await redisError { () async throws(RedisError) in try await redis.pipeline([["PING"]]) } == .notConnected)
        #expect(monotonicSeconds() - start < 0.1)
    }

    @Test("close() fails the commands in flight with .closed")
    func closeWithPending() async throws {
        let server = try await RedisServerProcess()
        let redis = try await RedisConnection.connect(server.configuration())
        let blocked = Task { () async -> RedisError? in
            await redisError { () async throws(RedisError) in try await redis.send(["BLPOP", "empty", 0], timeout: nil) }
        }
        try await Task.sleep(for: .milliseconds(100))
        redis.close()
        #expect(await blocked.value == .closed)
    }

    @Test("after a server restart the connection comes back by itself, with its database selected again")
    func reconnect() async throws {
        let server = try await RedisServerProcess()
        let redis = try await RedisConnection.connect(server.configuration(database: 2))
        defer { redis.close() }
        let states = redis.stateChanges()
        server.stop()
        #expect(await eventually { isDisconnected(redis.state) })
        try await Task.sleep(for: .milliseconds(300))  // a few failed attempts (backoff grows)
        try await server.start()
        #expect(await eventually { redis.state == .connected })
        #expect(try await redis.send(["CLIENT", "INFO"]).string?.contains(" db=2 ") == true)
        redis.close()
        var seen: [RedisConnectionState] = []
        for await state in states { seen.append(state) }
        #expect(seen.count == 4, "one disconnected event per outage, not one per attempt: \(seen)")
        #expect(seen.first == .connected)
        #expect(seen.count > 1 && isDisconnected(seen[1]))
        #expect(seen.suffix(2) == [.connected, .closed])
    }

    @Test("a connection to a port with no server fails with .connectFailed; init keeps retrying until one appears")
    func noServer() async throws {
        let port = freePort()
        var configuration = RedisConfiguration(port: port, connectTimeout: .seconds(1))
        configuration.reconnect = RedisReconnectBackoff(initial: .milliseconds(20), maximum: .milliseconds(100))
        guard case .connectFailed = await redisError({ () async throws(RedisError) in try await RedisConnection.connect(configuration) }) else {
            Issue.record("expected connectFailed")
            return
        }
        let redis = RedisConnection(configuration: configuration)
        defer { redis.close() }
        #expect(await eventually { isDisconnected(redis.state) })
        #expect(await redisError { () async throws(RedisError) in try await redis.send(["PING"]) } == .notConnected)
    }
}

@Suite("AUTH against a password-protected server")
struct RedisAuthTests {
    @Test("the right password connects (RESP3 HELLO AUTH and RESP2 AUTH), including after a restart")
    func rightPassword() async throws {
        let server = try await RedisServerProcess(password: "s3cret")
        for version in [RedisProtocolVersion.resp3, .resp2] {
            let redis = try await RedisConnection.connect(server.configuration(protocolVersion: version))
            #expect(redis.protocolVersion == version)
            #expect(try await redis.ping() == "PONG")
            redis.close()
        }
        let redis = try await RedisConnection.connect(RedisConfiguration(url: "redis://:s3cret@127.0.0.1:\(server.port)"))
        defer { redis.close() }
        try await server.restart()
        #expect(await eventually { redis.state == .connected })
        #expect(try await redis.ping() == "PONG")
    }

    @Test("a wrong or missing password fails with .authenticationFailed")
    func wrongPassword() async throws {
        let server = try await RedisServerProcess(password: "s3cret")
        for configuration in [server.configuration(password: "nope"), server.configuration(protocolVersion: .resp2, password: "nope")] {
            guard case .authenticationFailed = await redisError({ () async throws(RedisError) in try await RedisConnection.connect(configuration) }) else {
                Issue.record("expected authenticationFailed for \(configuration.protocolVersion)")
                continue
            }
        }
        var anonymous = server.configuration()
        anonymous.password = nil
        guard case let .authenticationFailed(message) = await redisError({ () async throws(RedisError) in try await RedisConnection.connect(anonymous) }) else {
            Issue.record("expected authenticationFailed without a password")
            return
        }
        #expect(message.hasPrefix("NOAUTH"))
    }

    @Test("a server without HELLO and with a password: RESP2 AUTH fallback")
    func authFallback() async throws {
        let server = try await RedisServerProcess(password: "s3cret", arguments: ["--rename-command", "HELLO", ""])
        let redis = try await RedisConnection.connect(server.configuration(database: 1))
        defer { redis.close() }
        #expect(redis.protocolVersion == .resp2)
        #expect(try await redis.send(["CLIENT", "INFO"]).string?.contains(" db=1 ") == true)
    }
}

@Suite("Scripts: EVALSHA with NOSCRIPT fallback")
struct RedisScriptTests {
    @Test("the locally computed SHA-1 is the server's, and EVALSHA survives SCRIPT FLUSH")
    func evalsha() async throws {
        let server = try await RedisServerProcess()
        let redis = try await RedisConnection.connect(server.configuration())
        defer { redis.close() }
        let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
        try await redis.load(script)
        #expect(try await redis.send(["SCRIPT", "EXISTS", RedisArgument(script.sha1)]) == .array([.integer(1)]))
        #expect(try await redis.evaluate(script, keys: ["n"], arguments: [5]) == .integer(5))

        _ = try await redis.send(["SCRIPT", "FLUSH"])
        #expect(try await redis.send(["SCRIPT", "EXISTS", RedisArgument(script.sha1)]) == .array([.integer(0)]))
        #expect(try await redis.evaluate(script, keys: ["n"], arguments: [2]) == .integer(7), "NOSCRIPT falls back to EVAL")
        #expect(try await redis.send(["SCRIPT", "EXISTS", RedisArgument(script.sha1)]) == .array([.integer(1)]), "EVAL cached it again")
    }

    @Test("a script's own error is a server error, not a fallback loop")
    func scriptError() async throws {
        let server = try await RedisServerProcess()
        let redis = try await RedisConnection.connect(server.configuration())
        defer { redis.close() }
        let failing = RedisScript("return redis.error_reply('MYERR bad input')")
        let error = await redisError { () async throws(RedisError) in try await redis.evaluate(failing) }
        guard case let .server(serverError) = error else {
            Issue.record("expected a server error, got \(String(describing: error))")
            return
        }
        #expect(serverError.code == "MYERR")
    }
}
