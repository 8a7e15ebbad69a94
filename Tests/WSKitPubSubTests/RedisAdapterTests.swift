import Glibc
import Synchronization
import Testing
import WSKitContract
import WSKitPubSub
import WSKitPubSubRedis
import WSKitRedis
import WSKitRouter
import WSKitLiveFixtures
import WSKitTesting

/// The Redis adapter against a real `redis-server` (fails, never skips, without one).
@Suite(.serialized) struct RedisAdapterTests {
    static func configuration(_ redis: RedisServerProcess) -> RedisConfiguration {
        RedisConfiguration(
            port: redis.port, connectTimeout: .seconds(5), commandTimeout: .seconds(5),
            reconnect: RedisReconnectBackoff(initial: .milliseconds(20), maximum: .milliseconds(200), jitter: 0.1))
    }

    /// An instance: a harness whose pub/sub goes through Redis.
    static func instance(
        _ redis: RedisServerProcess, prefix: String = "test:", events: Recorder<PubSubAdapterEvent>? = nil
    ) async throws -> TestHarness<Member, ChatPlugins> {
        let adapter = RedisPubSubAdapter(configuration: configuration(redis), channelPrefix: prefix)
        let plugin = PubSubPlugin(adapter: adapter, onAdapterEvent: { events?.append($0) })
        let harness = try TestHarness(chatRouter(), plugins: ChatPlugins(pubsub: plugin))
        #expect(await harness.runtime.pubsub.ready(timeout: .seconds(10)))
        return harness
    }

    static func finish(_ harnesses: TestHarness<Member, ChatPlugins>...) async throws {
        for harness in harnesses {
            try await harness.finish()
            await harness.runtime.pubsub.shutdown()
        }
    }

    @Test func aPublishOnOneInstanceReachesTheOtherWithExcludeSelfAcrossInstances() async throws {
        let redis = try await RedisServerProcess()
        let a = try await Self.instance(redis)
        let b = try await Self.instance(redis)
        let onA = await a.connect(data: Member(name: "a"), clientId: "client-a")
        let onB = await b.connect(data: Member(name: "b"), clientId: "client-b")
        let twinA = await a.connect(data: Member(), clientId: "twin")
        let twinB = await b.connect(data: Member(), clientId: "twin")
        for client in [onA, onB, twinA, twinB] { try await client.connection.topics.subscribe("room") }

        try await twinA.send(Say.self, .init(topic: "room", text: "hello", excludeSelf: true))
        #expect(await eventually(interval: .milliseconds(5)) { onA.frames.count == 1 && onB.frames.count == 1 })
        #expect(try onA.messages(ChatLine.self) == [.init(text: "hello")])
        #expect(try onB.messages(ChatLine.self) == [.init(text: "hello")])
        // Matched counts this instance's subscribers; the twin is excluded on both instances.
        #expect(try twinA.messages(Published.self) == [.init(matched: 1)])
        try await Task.sleep(for: .milliseconds(50))
        #expect(try twinA.messages(ChatLine.self).isEmpty)
        #expect(try twinB.messages(ChatLine.self).isEmpty)

        // Router-level publish: the receipt counts the instances Redis reached.
        let result = await b.runtime.pubsub.publish(ChatLine.self, .init(text: "server"), to: "room")
        #expect(result.receipt == PublishReceipt(matched: 2, instancesReached: 2, adapter: "redis"))
        #expect(await eventually(interval: .milliseconds(5)) {
            onA.frames.count == 2 && (try? twinA.messages(ChatLine.self).count) == 1 && twinB.frames.count == 1
        })
        // The publisher's own subscribers got it exactly once (through Redis' loopback).
        try await Task.sleep(for: .milliseconds(50))
        #expect(onB.frames.count == 2)
        try await Self.finish(a, b)
    }

    @Test func instancesSubscribeInRedisOnlyToTopicsWithLocalSubscribers() async throws {
        let redis = try await RedisServerProcess()
        let a = try await Self.instance(redis, prefix: "p:")
        let b = try await Self.instance(redis, prefix: "p:")
        let probe = try await RedisConnection.connect(Self.configuration(redis))
        func channels() async throws -> [String] {
            (try await probe.send(["PUBSUB", "CHANNELS", "p:*"]).array ?? []).compactMap(\.string).sorted()
        }
        let onA = await a.connect(data: Member())
        let onA2 = await a.connect(data: Member())
        try await onA.connection.topics.subscribe(["x", "y"])
        try await onA2.connection.topics.subscribe("x")
        #expect(try await channels() == ["p:x", "p:y"])
        #expect(try await probe.send(["PUBSUB", "NUMSUB", "p:x"]).array?.last?.int == 1)
        onA.connection.topics.unsubscribe("x")
        onA.connection.topics.unsubscribe("y")
        #expect(await eventually(interval: .milliseconds(5)) { (try? await channels()) == ["p:x"] })
        // Nobody on B: a publish to "x" reaches only A.
        #expect(await b.runtime.pubsub.publish(Nudge.self, to: "x").receipt?.instancesReached == 1)
        await onA2.close()
        #expect(await eventually(interval: .milliseconds(5)) { (try? await channels()) == [] })
        probe.close()
        try await Self.finish(a, b)
    }

    @Test func anOutageIsReportedAndSubscriptionsComeBack() async throws {
        let redis = try await RedisServerProcess()
        let events = Recorder<PubSubAdapterEvent>()
        let a = try await Self.instance(redis, events: events)
        let b = try await Self.instance(redis)
        let onB = await b.connect(data: Member())
        try await onB.connection.topics.subscribe("alerts")

        redis.kill()
        #expect(await eventually(interval: .milliseconds(5)) { !a.runtime.pubsub.isAvailable })
        let failed = await a.runtime.pubsub.publish(Nudge.self, to: "alerts")
        #expect(failed.error?.code == .adapterError)
        #expect(failed.error?.isRetryable == true)
        #expect(failed.error?.adapterError?.kind == .unavailable)
        #expect(a.runtime.pubsub.publishNow(Nudge.self, to: "alerts").error?.code == .adapterError)
        #expect(await eventually(interval: .milliseconds(5)) { events.all.contains { if case .disconnected = $0 { true } else { false } } })
        #expect(await eventually(interval: .milliseconds(5)) { a.errors.contains { $0.phase == .plugin } })

        try await redis.start()
        #expect(await a.runtime.pubsub.ready(timeout: .seconds(10)))
        #expect(await b.runtime.pubsub.ready(timeout: .seconds(10)))
        #expect(await eventually(interval: .milliseconds(5)) { events.all.contains(.reconnected(adapter: "redis")) })
        // B's subscription was restored by the reconnect.
        let result = await a.runtime.pubsub.publish(Nudge.self, to: "alerts")
        #expect(result.receipt?.instancesReached == 1)
        #expect(await eventually(interval: .milliseconds(5)) { onB.frames.map(\.type) == ["NUDGE"] })
        try await Self.finish(a, b)
    }

    @Test func aRestartIsReportedOnceDownAndOnceUpForBothConnections() async throws {
        let redis = try await RedisServerProcess()
        let events = Recorder<PubSubAdapterEvent>()
        let a = try await Self.instance(redis, events: events)
        let client = await a.connect(data: Member())
        try await client.connection.topics.subscribe("alerts")

        redis.kill()
        #expect(await eventually(interval: .milliseconds(5)) { !a.runtime.pubsub.isAvailable })
        // Both connections notice the drop and retry a few times while Redis is down.
        try await Task.sleep(for: .milliseconds(300))
        try await redis.start()
        #expect(await a.runtime.pubsub.ready(timeout: .seconds(10)))
        #expect(await eventually(interval: .milliseconds(5)) { events.all.contains(.reconnected(adapter: "redis")) })
        try await Task.sleep(for: .milliseconds(200))
        let recorded = events.all
        #expect(recorded.count == 2, "\(recorded)")
        if case .disconnected = recorded.first {} else { Issue.record("first event: \(recorded)") }
        #expect(recorded.last == .reconnected(adapter: "redis"))
        try await Self.finish(a)
    }

    @Test func publishesFromOneThreadKeepTheirOrderAcrossInstances() async throws {
        let redis = try await RedisServerProcess()
        let a = try await Self.instance(redis)
        let b = try await Self.instance(redis)
        let onB = await b.connect(data: Member())
        try await onB.connection.topics.subscribe("seq")
        let pubsub = a.runtime.pubsub
        let count = 500
        try await runBlocking {
            for n in 0 ..< count {
                let result = Array("\(n)".utf8).withUnsafeBytes { pubsub.publishNow(raw: $0, binary: false, to: "seq") }
                #expect(result.isPublished)
            }
        }
        #expect(await eventually(interval: .milliseconds(5)) { onB.frames.count == count })
        #expect(onB.frames.map(\.text) == (0 ..< count).map { "\($0)" })
        try await Self.finish(a, b)
    }

    @Test func foreignMessagesOnTheChannelAreDroppedAndReported() async throws {
        let redis = try await RedisServerProcess()
        let a = try await Self.instance(redis)
        let client = await a.connect(data: Member())
        try await client.connection.topics.subscribe("t")
        let probe = try await RedisConnection.connect(Self.configuration(redis))
        #expect(try await probe.publish("not a pubsub message", to: "test:t") == 1)
        #expect(await eventually(interval: .milliseconds(5)) { a.errors.contains { $0.phase == .plugin } })
        #expect(client.frames.isEmpty)
        probe.close()
        try await Self.finish(a)
    }

    @Test func anAdapterCannotServeTwoRouters() async throws {
        let redis = try await RedisServerProcess()
        let adapter = RedisPubSubAdapter(configuration: Self.configuration(redis))
        let first = try TestHarness(chatRouter(), plugins: ChatPlugins(pubsub: PubSubPlugin(adapter: adapter)))
        #expect(throws: RouterBuildError.self) {
            _ = try TestHarness(chatRouter(), plugins: ChatPlugins(pubsub: PubSubPlugin(adapter: adapter)))
        }
        await first.runtime.pubsub.shutdown()
        #expect(await first.runtime.pubsub.publish(Nudge.self, to: "t").error?.adapterError?.kind == .closed)
    }
}
