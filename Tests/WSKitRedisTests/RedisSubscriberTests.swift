import Synchronization
import Testing
import WSKitRedis
import WSKitLiveFixtures

/// Reads the next message from `iterator`, giving up after `timeout`.
private func nextMessage(
    _ stream: AsyncStream<RedisPubSubMessage>, timeout: Duration = .seconds(5)
) async -> RedisPubSubMessage? {
    await withTaskGroup(of: RedisPubSubMessage?.self) { group in
        group.addTask {
            var iterator = stream.makeAsyncIterator()
            return await iterator.next()
        }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}

@Suite("Pub/sub connection")
struct RedisSubscriberTests {
    @Test("SUBSCRIBE and PSUBSCRIBE deliver messages in order; UNSUBSCRIBE stops them", arguments: [RedisProtocolVersion.resp3, .resp2])
    func subscribe(version: RedisProtocolVersion) async throws {
        let server = try await RedisServerProcess()
        let publisher = try await RedisConnection.connect(server.configuration())
        let subscriber = try await RedisSubscriber.connect(server.configuration(protocolVersion: version))
        defer {
            subscriber.close()
            publisher.close()
        }
        try await subscriber.subscribe(["news", "sport"])
        try await subscriber.psubscribe(["log.*"])
        #expect(subscriber.channels == ["news", "sport"])
        #expect(try await publisher.publish("first", to: "news") == 1)
        #expect(try await publisher.publish(.bytes([0, 255]), to: "sport") == 1)
        #expect(try await publisher.publish("boom", to: "log.error") == 1)
        var iterator = subscriber.messages.makeAsyncIterator()
        #expect(await iterator.next() == RedisPubSubMessage(channel: "news", payload: Array("first".utf8)))
        #expect(await iterator.next() == RedisPubSubMessage(channel: "sport", payload: [0, 255]))
        #expect(await iterator.next() == RedisPubSubMessage(channel: "log.error", pattern: "log.*", payload: Array("boom".utf8)))

        try await subscriber.unsubscribe(["news"])
        try await subscriber.punsubscribe(["log.*"])
        #expect(try await publisher.publish("gone", to: "news") == 0)
        #expect(try await publisher.publish("gone", to: "log.x") == 0)
        #expect(try await publisher.publish("still", to: "sport") == 1)
        #expect(await iterator.next()?.string == "still")
    }

    @Test("a handler receives messages on the I/O thread, in publish order")
    func handler() async throws {
        let server = try await RedisServerProcess()
        let received = Mutex<[String]>([])
        let subscriber = RedisSubscriber(configuration: server.configuration()) { message in
            received.withLock { $0.append(message.string) }
        }
        let publisher = try await RedisConnection.connect(server.configuration())
        defer {
            subscriber.close()
            publisher.close()
        }
        #expect(await eventually { subscriber.state == .connected })
        try await subscriber.subscribe(["c"])
        let expected = (0 ..< 500).map { "m\($0)" }
        _ = try await publisher.pipeline(expected.map { ["PUBLISH", "c", RedisArgument($0)] })
        #expect(await eventually { received.withLock { $0.count } == 500 })
        #expect(received.withLock { $0 } == expected)
    }

    @Test("after a server restart, subscriptions are restored before the state says .connected")
    func resubscribe() async throws {
        let server = try await RedisServerProcess()
        let subscriber = try await RedisSubscriber.connect(server.configuration())
        defer { subscriber.close() }
        try await subscriber.subscribe(["room"])
        try await subscriber.psubscribe(["user.*"])
        let states = subscriber.stateChanges()

        server.kill()
        #expect(await eventually { isDisconnected(subscriber.state) })
        // Subscribing while down is recorded (and reported as not connected).
        #expect(await redisError { () async throws(RedisError) in try await subscriber.subscribe(["late"]) } == .notConnected)
        try await server.start()
        #expect(await eventually { subscriber.state == .connected })

        let publisher = try await RedisConnection.connect(server.configuration())
        defer { publisher.close() }
        #expect(try await publisher.publish("back", to: "room") == 1)
        #expect(try await publisher.publish("hi", to: "user.7") == 1)
        #expect(try await publisher.publish("also", to: "late") == 1)
        #expect(await nextMessage(subscriber.messages) == RedisPubSubMessage(channel: "room", payload: Array("back".utf8)))
        #expect(await nextMessage(subscriber.messages) == RedisPubSubMessage(channel: "user.7", pattern: "user.*", payload: Array("hi".utf8)))
        #expect(await nextMessage(subscriber.messages)?.channel == "late")

        subscriber.close()
        var seen: [RedisConnectionState] = []
        for await state in states { seen.append(state) }
        #expect(seen.count == 4 && isDisconnected(seen[1]), "outage and recovery are observable: \(seen)")
        #expect(seen.suffix(2) == [.connected, .closed])
    }

    @Test("a reader that falls behind loses the newest messages beyond bufferLimit, counted; memory stays bounded")
    func boundedBuffer() async throws {
        let server = try await RedisServerProcess()
        let subscriber = try await RedisSubscriber.connect(server.configuration(), bufferLimit: 10)
        let publisher = try await RedisConnection.connect(server.configuration())
        defer {
            subscriber.close()
            publisher.close()
        }
        try await subscriber.subscribe(["c"])
        _ = try await publisher.pipeline((0 ..< 50).map { ["PUBLISH", "c", RedisArgument($0)] })
        #expect(await eventually { subscriber.droppedMessageCount == 40 })
        var iterator = subscriber.messages.makeAsyncIterator()
        var first: [String] = []
        for _ in 0 ..< 10 { first.append(await iterator.next()?.string ?? "") }
        #expect(first == (0 ..< 10).map(String.init))
        #expect(try await publisher.publish("later", to: "c") == 1)
        #expect(await iterator.next()?.string == "later")
    }

    @Test("close finishes the message stream and fails later calls")
    func close() async throws {
        let server = try await RedisServerProcess()
        let subscriber = try await RedisSubscriber.connect(server.configuration())
        try await subscriber.subscribe(["x"])
        subscriber.close()
        var iterator = subscriber.messages.makeAsyncIterator()
        #expect(await iterator.next() == nil)
        #expect(await redisError { () async throws(RedisError) in try await subscriber.subscribe(["y"]) } == .closed)
    }
}
