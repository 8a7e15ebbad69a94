import Testing
import WSKitContract
import WSKitLiveFixtures
import WSKitPubSub
import WSKitPubSubRedis
import WSKitRedis
import WSKitRouter
import WSKitTesting

/// Streams kept in Redis, shared by every instance, against a real `redis-server`: offsets and
/// epochs agree across instances, a client recovers on another instance, a Redis restart (data
/// lost) changes the epoch, an outage is a failed publish.
@Suite(.serialized) struct RedisStreamTests {
    static let history = [HistoryRule(prefix: "room:", size: 1_000)]

    static func instance(_ redis: RedisServerProcess) async throws -> TestHarness<Member, ChatPlugins> {
        let adapter = RedisPubSubAdapter(configuration: RedisAdapterTests.configuration(redis), channelPrefix: "streams:")
        let harness = try TestHarness(chatRouter(), plugins: ChatPlugins(pubsub: PubSubPlugin(adapter: adapter, history: history)))
        #expect(await harness.runtime.pubsub.ready(timeout: .seconds(10)))
        return harness
    }

    static func positions(_ client: TestConnection<Member, ChatPlugins>) -> [StreamPosition] {
        client.frames.filter { $0.type == ChatLine.type }.compactMap { frame in
            guard let epoch = frame.meta["epoch"]?.stringValue, let offset = frame.meta["offset"]?.intValue else { return nil }
            return StreamPosition(epoch: epoch, offset: UInt64(offset))
        }
    }

    static func texts(_ client: TestConnection<Member, ChatPlugins>) -> [String] {
        (try? client.messages(ChatLine.self).map(\.text)) ?? []
    }

    @Test func offsetsAreSharedAndAClientRecoversOnAnotherInstance() async throws {
        let redis = try await RedisServerProcess()
        let a = try await Self.instance(redis)
        let b = try await Self.instance(redis)
        let onA = await a.connect(data: Member(), clientId: "c1")
        let watcher = await b.connect(data: Member())
        try await onA.connection.topics.subscribe("room:1")
        try await watcher.connection.topics.subscribe("room:1")
        for n in 1 ... 3 {
            let result = await (n % 2 == 0 ? a : b).runtime.pubsub.publish(ChatLine.self, .init(text: "\(n)"), to: "room:1")
            #expect(result.isPublished)
        }
        #expect(await eventually(interval: .milliseconds(5)) { Self.texts(onA).count == 3 && Self.texts(watcher).count == 3 })
        // Both instances stamped the same positions.
        #expect(Self.positions(onA) == Self.positions(watcher))
        #expect(Self.positions(onA).map(\.offset) == [1, 2, 3])
        let seen = try #require(Self.positions(onA).last)
        await onA.close()

        for n in 4 ... 6 { _ = await a.runtime.pubsub.publish(ChatLine.self, .init(text: "\(n)"), to: "room:1") }
        let onB = await b.connect(data: Member(), clientId: "c1")
        let recovery = try await onB.connection.topics.subscribe("room:1", from: seen)
        #expect(recovery.recovered)
        #expect(recovery.replayed == 3)
        #expect(recovery.position == StreamPosition(epoch: seen.epoch, offset: 6))
        _ = await a.runtime.pubsub.publish(ChatLine.self, .init(text: "7"), to: "room:1")
        #expect(await eventually(interval: .milliseconds(5)) { Self.texts(onB).count == 4 })
        #expect(Self.texts(onB) == ["4", "5", "6", "7"])
        #expect(Self.positions(onB).map(\.offset) == [4, 5, 6, 7])
        try await RedisAdapterTests.finish(a, b)
    }

    @Test func recoveryRacingPublishesFromAnotherInstanceHasNoGapAndNoDuplicate() async throws {
        let redis = try await RedisServerProcess()
        let a = try await Self.instance(redis)
        let b = try await Self.instance(redis)
        _ = await b.runtime.pubsub.publish(ChatLine.self, .init(text: "0"), to: "room:race")
        let probe = await a.connect(data: Member())
        let start = try await probe.connection.topics.subscribe("room:race", from: nil).position
        let epoch = try #require(start?.epoch)
        let pubsub = b.runtime.pubsub
        let publisher = Task {
            for n in 1 ... 500 { _ = await pubsub.publish(ChatLine.self, .init(text: "\(n)"), to: "room:race") }
        }
        var late: [TestConnection<Member, ChatPlugins>] = []
        for round in 0 ..< 6 {
            try await Task.sleep(for: .milliseconds(round * 7))
            let client = await (round % 2 == 0 ? a : b).connect(data: Member())
            #expect(try await client.connection.topics.subscribe("room:race", from: StreamPosition(epoch: epoch, offset: 1)).recovered)
            late.append(client)
        }
        await publisher.value
        let expected = (1 ... 500).map { "\($0)" }
        for client in late {
            #expect(await eventually(interval: .milliseconds(5)) { Self.texts(client).count >= 500 })
            #expect(Self.texts(client) == expected)
        }
        try await RedisAdapterTests.finish(a, b)
    }

    @Test func aRedisRestartThatLostTheDataChangesTheEpochAndRecoveryAnswersFalse() async throws {
        let redis = try await RedisServerProcess()
        let a = try await Self.instance(redis)
        let client = await a.connect(data: Member())
        try await client.connection.topics.subscribe("room:1")
        _ = await a.runtime.pubsub.publish(ChatLine.self, .init(text: "before"), to: "room:1")
        #expect(await eventually(interval: .milliseconds(5)) { Self.texts(client).count == 1 })
        let before = try #require(Self.positions(client).last)

        redis.kill()   // no persistence: the stream is gone
        #expect(await eventually(interval: .milliseconds(5)) { !a.runtime.pubsub.isAvailable })
        // An outage is in the publish result, never a silent loss.
        let failed = await a.runtime.pubsub.publish(ChatLine.self, .init(text: "lost"), to: "room:1")
        #expect(failed.error?.code == .adapterError)
        #expect(a.runtime.pubsub.publishNow(ChatLine.self, .init(text: "lost"), to: "room:1").error?.code == .adapterError)
        try await redis.start()
        #expect(await a.runtime.pubsub.ready(timeout: .seconds(10)))

        _ = await a.runtime.pubsub.publish(ChatLine.self, .init(text: "after"), to: "room:1")
        #expect(await eventually(interval: .milliseconds(5)) { Self.texts(client).count == 2 })
        let after = try #require(Self.positions(client).last)
        #expect(after.epoch != before.epoch)
        #expect(after.offset == 1)
        let back = await a.connect(data: Member())
        let recovery = try await back.connection.topics.subscribe("room:1", from: before)
        #expect(!recovery.recovered)
        #expect(recovery.replayed == 0)
        #expect(recovery.position == after)
        try await RedisAdapterTests.finish(a)
    }
}
