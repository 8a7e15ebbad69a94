import Testing
import WSKitContract
import WSKitPubSub
import WSKitRouter
import WSKitTesting

/// Publishing: typed messages, excludeSelf, results, failures, router-level and raw publishes.
@Suite struct PublishTests {
    func harness(_ plugin: PubSubPlugin = PubSubPlugin(), router: Router<Member, ChatPlugins> = chatRouter()) throws -> TestHarness<Member, ChatPlugins> {
        try TestHarness(router, plugins: ChatPlugins(pubsub: plugin))
    }

    @Test func aPublishReachesEverySubscriberWithTheSameBytes() async throws {
        let harness = try harness()
        let alice = await harness.connect(data: Member(name: "alice"))
        let bob = await harness.connect(data: Member(name: "bob"))
        let carol = await harness.connect(data: Member(name: "carol"))
        try await alice.connection.topics.subscribe("room")
        try await bob.connection.topics.subscribe("room")
        try await carol.send(Say.self, .init(topic: "room", text: "hi"))
        #expect(try carol.messages(Published.self) == [.init(matched: 2)])
        #expect(try alice.messages(ChatLine.self) == [.init(text: "hi")])
        #expect(try bob.messages(ChatLine.self) == [.init(text: "hi")])
        #expect(try carol.messages(ChatLine.self).isEmpty)
        // Encoded once: the very same text, with the server's timestamp and no topic.
        let frame = try #require(alice.frames.first)
        #expect(frame.text == bob.frames.first?.text)
        #expect(frame.timestamp == harness.clock.nowMs)
        #expect(frame.text == #"{"type":"CHAT","meta":{"timestamp":\#(harness.clock.nowMs)},"payload":{"text":"hi"}}"#)
        try await harness.finish()
    }

    @Test func excludeSelfSkipsThePublisherOnly() async throws {
        let harness = try harness()
        let alice = await harness.connect(data: Member(name: "alice"))
        let bob = await harness.connect(data: Member(name: "bob"))
        try await alice.connection.topics.subscribe("room")
        try await bob.connection.topics.subscribe("room")
        try await alice.send(Say.self, .init(topic: "room", text: "without me", excludeSelf: true))
        try await alice.send(Say.self, .init(topic: "room", text: "with me", excludeSelf: false))
        #expect(try alice.messages(Published.self) == [.init(matched: 1), .init(matched: 2)])
        #expect(try alice.messages(ChatLine.self) == [.init(text: "with me")])
        #expect(try bob.messages(ChatLine.self) == [.init(text: "without me"), .init(text: "with me")])
        try await harness.finish()
    }

    @Test func excludeSelfByDefault() async throws {
        let harness = try harness(PubSubPlugin(excludeSelfByDefault: true))
        let alice = await harness.connect(data: Member())
        try await alice.connection.topics.subscribe("room")
        try await alice.send(Say.self, .init(topic: "room", text: "a"))
        try await alice.send(Say.self, .init(topic: "room", text: "b", excludeSelf: false))
        #expect(try alice.messages(ChatLine.self) == [.init(text: "b")])
        try await harness.finish()
    }

    @Test func explicitOptionsOverrideExcludeSelfByDefault() async throws {
        let router = Router<Member, ChatPlugins>()
        router.on(Nudge.self) { ctx in
            _ = await ctx.publish(ChatLine.self, .init(text: "to all"), to: "room", options: PublishOptions(exclude: .nobody))
            _ = await ctx.publish(ChatLine.self, .init(text: "default"), to: "room")
            _ = await ctx.room("room").broadcast(ChatLine.self, .init(text: "room default"))
        }
        let harness = try harness(PubSubPlugin(excludeSelfByDefault: true), router: router)
        let alice = await harness.connect(data: Member())
        try await alice.connection.topics.subscribe("room")
        await alice.send(Nudge.self)
        // `ctx.publish` follows the plugin's default; a room broadcast skips nobody unless asked.
        #expect(try alice.messages(ChatLine.self) == [.init(text: "to all"), .init(text: "room default")])
        try await harness.finish()
    }

    @Test func metaIsSentButNeverOverridesTimestampAndExcludeClientIdIsNotSent() async throws {
        let router = Router<Member, ChatPlugins>()
        router.on(Nudge.self) { ctx in
            _ = await ctx.publish(
                Nudge.self, to: "t",
                options: PublishOptions(meta: ["traceId": "x", "timestamp": 1, "correlationId": "c", "excludeClientId": "someone"]))
        }
        let harness = try harness(router: router)
        let client = await harness.connect(data: Member())
        try await client.connection.topics.subscribe("t")
        await client.send(Nudge.self)
        let frame = try #require(client.frames.first)
        #expect(frame.type == "NUDGE")
        #expect(frame.payload == nil)
        #expect(frame.meta == ["traceId": "x", "timestamp": .number(Double(harness.clock.nowMs))])
        try await harness.finish()
    }

    @Test func failuresAreTypedResultsNotThrows() async throws {
        let plugin = PubSubPlugin(
            authorize: { $0.action == .subscribe || !$0.topic.hasPrefix("ro:") }, maxMessageBytes: 200)
        let harness = try harness(plugin)
        let client = await harness.connect(data: Member())
        try await client.connection.topics.subscribe("ro:news")
        try await client.send(Say.self, .init(topic: "bad topic", text: "x"))
        try await client.send(Say.self, .init(topic: "ro:news", text: "x"))
        try await client.send(Say.self, .init(topic: "ok", text: String(repeating: "y", count: 100)))
        // The payload breaks its own schema (@Length(1...100)): VALIDATION.
        try await client.send(Say.self, .init(topic: "ok", text: ""))
        #expect(try client.messages(Published.self) == [
            .init(error: "INVALID_TOPIC"), .init(error: "ACL_PUBLISH"), .init(matched: 0), .init(error: "VALIDATION"),
        ])
        let big = await harness.runtime.pubsub.publish(ChatLine.self, .init(text: String(repeating: "z", count: 100)), to: "ok", options: PublishOptions(meta: ["pad": .string(String(repeating: "p", count: 100))]))
        #expect(big.error?.code == .payloadTooLarge)
        #expect(big.error?.isRetryable == false)
        #expect(try client.messages(ChatLine.self).isEmpty)
        #expect(harness.runtime.pubsub.statistics.failedPublishes == 4)
        try await harness.finish()
    }

    @Test func aReservedTypeCannotBePublished() async throws {
        struct Fake: Message {
            typealias Payload = Empty
            static let type = "$ws:fake"
        }
        let harness = try harness()
        let result = await harness.runtime.pubsub.publish(Fake.self, to: "t")
        #expect(result.error?.code == .validation)
        try await harness.finish()
    }

    @Test func routerLevelPublishFromOutsideAnyHandler() async throws {
        let harness = try harness()
        let alice = await harness.connect(data: Member())
        let bob = await harness.connect(data: Member())
        try await alice.connection.topics.subscribe("news")
        try await bob.connection.topics.subscribe("news")
        let pubsub = harness.runtime.pubsub
        let result = await pubsub.publish(ChatLine.self, .init(text: "async"), to: "news")
        #expect(result == .published(PublishReceipt(matched: 2, adapter: "memory")))
        // From another thread, without suspending, skipping one connection.
        let now = await Task.detached { pubsub.publishNow(ChatLine.self, .init(text: "now"), to: "news", options: .excluding(bob.clientId)) }.value
        #expect(now.matched == 1)
        #expect(try alice.messages(ChatLine.self) == [.init(text: "async"), .init(text: "now")])
        #expect(try bob.messages(ChatLine.self) == [.init(text: "async")])
        #expect(harness.pluginEvents(PublishRecord.self).map(\.type) == ["CHAT", "CHAT"])
        #expect(harness.pluginEvents(PublishRecord.self).map(\.publisherClientId) == [nil, nil])
        try await harness.finish()
    }

    @Test func publishesAreCapturedByTheHarness() async throws {
        let harness = try harness()
        let client = await harness.connect(data: Member())
        try await client.send(Say.self, .init(topic: "room", text: "hello"))
        let record = try #require(harness.pluginEvents(PublishRecord.self).first)
        #expect(record.topic == "room")
        #expect(record.type == "CHAT")
        #expect(record.payload == ["text": "hello"])
        #expect(record.publisherClientId == client.clientId)
        #expect(harness.pluginEvents(PublishRecord.self).count == 1)
        try await harness.finish()
    }

    @Test func publishingWorksInLifecycleHooks() async throws {
        let router = chatRouter()
        router.onOpen { ctx in
            try await ctx.topics.subscribe("lobby")
            _ = await ctx.publish(ChatLine.self, .init(text: "joined \(ctx.data.name)"), to: "lobby", options: .excludingSelf)
        }
        router.onClose { ctx in
            _ = await ctx.publish(ChatLine.self, .init(text: "left \(ctx.data.name)"), to: "lobby", options: .excludingSelf)
        }
        let harness = try harness(router: router)
        let alice = await harness.connect(data: Member(name: "alice"))
        let bob = await harness.connect(data: Member(name: "bob"))
        await bob.close()
        #expect(try alice.messages(ChatLine.self) == [.init(text: "joined bob"), .init(text: "left bob")])
        #expect(try bob.messages(ChatLine.self).isEmpty)
        try await harness.finish()
    }

    @Test func rawPublishesAreSentAsTheyAre() async throws {
        let harness = try harness()
        let client = await harness.connect(data: Member())
        try await client.connection.topics.subscribe("raw")
        let pubsub = harness.runtime.pubsub
        #expect(await pubsub.publish(raw: Array("plain text".utf8), binary: false, to: "raw").matched == 1)
        let binary: [UInt8] = [0x00, 0xFF, 0x10]
        let now = binary.withUnsafeBytes { pubsub.publishNow(raw: $0, binary: true, to: "raw") }
        #expect(now.matched == 1)
        let invalid: [UInt8] = [0xC3, 0x28]
        let refused = invalid.withUnsafeBytes { pubsub.publishNow(raw: $0, binary: false, to: "raw") }
        #expect(refused.error?.code == .validation)
        #expect(client.frames.map(\.text) == ["plain text", String(decoding: binary, as: UTF8.self)])
        try await harness.finish()
    }

    @Test func largeMessagesUseExtendedFrameLengths() async throws {
        let harness = try harness(PubSubPlugin(maxMessageBytes: 1 << 20))
        let client = await harness.connect(data: Member())
        try await client.connection.topics.subscribe("big")
        for size in [125, 126, 65_535, 65_536, 200_000] {
            let text = String(repeating: "a", count: size)
            _ = await harness.runtime.pubsub.publish(raw: Array(text.utf8), binary: false, to: "big")
        }
        #expect(client.frames.map(\.text.utf8.count) == [125, 126, 65_535, 65_536, 200_000])
        try await harness.finish()
    }

    @Test func aClosedOrDroppingSubscriberIsCountedAndOthersStillGetIt() async throws {
        let harness = try harness()
        let slow = await harness.connect(data: Member())
        let fine = await harness.connect(data: Member())
        try await slow.connection.topics.subscribe("t")
        try await fine.connection.topics.subscribe("t")
        slow.setSendResult(.dropped)
        let result = await harness.runtime.pubsub.publish(ChatLine.self, .init(text: "x"), to: "t")
        #expect(result.matched == 2)
        #expect(try fine.messages(ChatLine.self) == [.init(text: "x")])
        let stats = harness.runtime.pubsub.statistics
        #expect(stats.deliveries == 2)
        #expect(stats.droppedDeliveries == 1)
        try await harness.finish()
    }

    @Test func matchedCountsOnlySubscribersOfTheTopic() async throws {
        let harness = try harness()
        let a = await harness.connect(data: Member())
        let b = await harness.connect(data: Member())
        try await a.connection.topics.subscribe(["x", "y"])
        try await b.connection.topics.subscribe("y")
        let pubsub = harness.runtime.pubsub
        #expect(await pubsub.publish(Nudge.self, to: "x").matched == 1)
        #expect(await pubsub.publish(Nudge.self, to: "y").matched == 2)
        #expect(await pubsub.publish(Nudge.self, to: "z").matched == 0)
        #expect(await pubsub.publish(Nudge.self, to: "y", options: .excluding(a.clientId)).matched == 1)
        #expect(a.frames.count == 2 && b.frames.count == 2)
        try await harness.finish()
    }
}
