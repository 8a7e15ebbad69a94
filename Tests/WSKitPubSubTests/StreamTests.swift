import Testing
import WSKitContract
import WSKitLiveFixtures
import WSKitPubSub
import WSKitRouter
import WSKitTesting

/// Topics with history (in process): offsets on every publication, recovery from a position
/// with no gap and no duplicate, size and TTL trimming on the fake clock, "latest value" mode.
@Suite struct StreamTests {
    func harness(_ history: [HistoryRule]) throws -> TestHarness<Member, ChatPlugins> {
        try TestHarness(chatRouter(), plugins: ChatPlugins(pubsub: PubSubPlugin(history: history)))
    }

    func publish(_ harness: TestHarness<Member, ChatPlugins>, _ texts: [String], to topic: String = "room:1") {
        for text in texts { _ = harness.runtime.pubsub.publishNow(ChatLine.self, .init(text: text), to: topic) }
    }

    /// The (epoch, offset) a client tracks from the last publication it received.
    func lastPosition(_ client: TestConnection<Member, ChatPlugins>) -> StreamPosition? {
        guard let frame = client.frames.last(where: { $0.type == ChatLine.type }),
              let epoch = frame.meta["epoch"]?.stringValue, let offset = frame.meta["offset"]?.intValue
        else { return nil }
        return StreamPosition(epoch: epoch, offset: UInt64(offset))
    }

    @Test func everyPublicationCarriesTopicEpochAndAStrictlyIncreasingOffset() async throws {
        let harness = try harness([HistoryRule(prefix: "room:", size: 100)])
        let client = await harness.connect(data: Member())
        try await client.connection.topics.subscribe(["room:1", "plain"])
        publish(harness, ["a", "b", "c"])
        _ = await harness.runtime.pubsub.publish(
            ChatLine.self, .init(text: "d"), to: "room:1", options: PublishOptions(meta: ["offset": 99, "topic": "x", "trace": "t"]))
        publish(harness, ["plain"], to: "plain")
        let stream = client.frames.filter { $0.meta["topic"] != nil }
        #expect(stream.map { $0.meta["offset"]?.intValue } == [1, 2, 3, 4])
        #expect(Set(stream.map { $0.meta["epoch"]?.stringValue }).count == 1)
        #expect(stream.allSatisfy { $0.meta["topic"]?.stringValue == "room:1" })
        #expect(stream.last?.meta["trace"]?.stringValue == "t")   // the application's other meta stays
        // A topic without history: today's envelope, no stream meta.
        let plain = try #require(client.frames.last)
        #expect(plain.meta["offset"] == nil && plain.meta["topic"] == nil)
        try await harness.finish()
    }

    @Test func aResubscribeFromAPositionGetsExactlyTheMissedPublicationsThenLiveOnes() async throws {
        let harness = try harness([HistoryRule(prefix: "room:", size: 100)])
        let first = await harness.connect(data: Member(), clientId: "c1")
        try await first.connection.topics.subscribe("room:1")
        publish(harness, ["1", "2", "3"])
        let seen = try #require(lastPosition(first))
        #expect(seen.offset == 3)
        await first.close()

        publish(harness, ["4", "5", "6"])   // while the client is away
        let again = await harness.connect(data: Member(), clientId: "c1")
        let recovery = try await again.connection.topics.subscribe("room:1", from: seen)
        #expect(recovery.recovered)
        #expect(recovery.replayed == 3)
        #expect(recovery.position == StreamPosition(epoch: seen.epoch, offset: 6))
        publish(harness, ["7"])
        #expect(try again.messages(ChatLine.self).map(\.text) == ["4", "5", "6", "7"])
        #expect(again.frames.map { $0.meta["offset"]?.intValue } == [4, 5, 6, 7])

        // Already at the top: nothing replayed, recovered.
        let third = await harness.connect(data: Member())
        let current = try await third.connection.topics.subscribe("room:1", from: StreamPosition(epoch: seen.epoch, offset: 7))
        #expect(current.recovered && current.replayed == 0)
        #expect(third.frames.isEmpty)
        try await harness.finish()
    }

    @Test func aPositionThatCannotBeRecoveredAnswersRecoveredFalseAndReplaysNothing() async throws {
        let harness = try harness([HistoryRule(prefix: "room:", size: 3)])
        let client = await harness.connect(data: Member())
        try await client.connection.topics.subscribe("room:1")
        publish(harness, ["1", "2", "3", "4", "5"])   // 1 and 2 trimmed by size
        let epoch = try #require(lastPosition(client)).epoch

        let cases: [StreamPosition] = [
            StreamPosition(epoch: epoch, offset: 1),        // older than the history
            StreamPosition(epoch: "another", offset: 4),    // another epoch
            StreamPosition(epoch: epoch, offset: 9),        // ahead of the stream
        ]
        for position in cases {
            let late = await harness.connect(data: Member())
            let recovery = try await late.connection.topics.subscribe("room:1", from: position)
            #expect(!recovery.recovered, "\(position)")
            #expect(recovery.replayed == 0)
            #expect(recovery.position == StreamPosition(epoch: epoch, offset: 5))
            #expect(late.frames.isEmpty)
        }
        // The oldest kept position still recovers (3 → 4, 5).
        let edge = await harness.connect(data: Member())
        let recovery = try await edge.connection.topics.subscribe("room:1", from: StreamPosition(epoch: epoch, offset: 2))
        #expect(recovery.recovered)
        #expect(try edge.messages(ChatLine.self).map(\.text) == ["3", "4", "5"])
        try await harness.finish()
    }

    @Test func historyExpiresWithTheTTLOnTheRouterClock() async throws {
        let harness = try harness([HistoryRule(prefix: "room:", size: 100, ttl: .seconds(10))])
        let client = await harness.connect(data: Member())
        try await client.connection.topics.subscribe("room:1")
        publish(harness, ["old"])
        let start = try #require(lastPosition(client))
        await harness.advance(by: .seconds(6))
        publish(harness, ["newer"])
        await harness.advance(by: .seconds(5))   // "old" is 11 s old: expired; "newer" is 5 s old

        let fromStart = await harness.connect(data: Member())
        #expect(try await !fromStart.connection.topics.subscribe("room:1", from: StreamPosition(epoch: start.epoch, offset: 0)).recovered)
        let fromOld = await harness.connect(data: Member())
        #expect(try await fromOld.connection.topics.subscribe("room:1", from: start).recovered)
        #expect(try fromOld.messages(ChatLine.self).map(\.text) == ["newer"])
        await harness.advance(by: .seconds(5))
        let tooLate = await harness.connect(data: Member())
        #expect(try await !tooLate.connection.topics.subscribe("room:1", from: start).recovered)
        try await harness.finish()
    }

    @Test func latestValueModeKeepsOnlyTheLastPublicationAndHandsItToNewSubscribers() async throws {
        let harness = try harness([.latest(prefix: "price:")])
        publish(harness, ["100", "101", "102"], to: "price:btc")
        let client = await harness.connect(data: Member())
        let recovery = try await client.connection.topics.subscribe("price:btc", from: nil)
        #expect(!recovery.recovered)
        #expect(recovery.replayed == 1)
        #expect(try client.messages(ChatLine.self).map(\.text) == ["102"])
        #expect(recovery.position?.offset == 3)
        try await harness.finish()
    }

    @Test func aTopicWithoutHistoryAnswersRecoveredFalseWithoutAPosition() async throws {
        let harness = try harness([HistoryRule(prefix: "room:", size: 10)])
        let client = await harness.connect(data: Member())
        let recovery = try await client.connection.topics.subscribe("lobby", from: StreamPosition(epoch: "e", offset: 1))
        #expect(recovery == StreamRecovery(recovered: false, position: nil, replayed: 0))
        #expect(client.connection.topics.has("lobby"))
        try await harness.finish()
    }

    @Test func subscribingFromAPositionWhilePublishesRaceHasNoGapAndNoDuplicate() async throws {
        let harness = try harness([HistoryRule(prefix: "room:", size: 10_000)])
        let probe = await harness.connect(data: Member())
        try await probe.connection.topics.subscribe("room:1")
        publish(harness, ["0"])
        let epoch = try #require(lastPosition(probe)).epoch
        let pubsub = harness.runtime.pubsub
        let publisher = Task.detached {
            for n in 1 ... 2_000 { _ = pubsub.publishNow(ChatLine.self, .init(text: "\(n)"), to: "room:1") }
        }
        var late: [TestConnection<Member, ChatPlugins>] = []
        for _ in 0 ..< 8 {
            let client = await harness.connect(data: Member())
            #expect(try await client.connection.topics.subscribe("room:1", from: StreamPosition(epoch: epoch, offset: 1)).recovered)
            late.append(client)
            await Task.yield()
        }
        await publisher.value
        for client in late {
            // Everything after offset 1 (text "1" onwards), exactly once, in order.
            #expect(try client.messages(ChatLine.self).map(\.text) == (1 ... 2_000).map { "\($0)" })
        }
        try await harness.finish()
    }

    @Test func clientsSubscribeOnTheWireAndGetTheAnswerBeforeTheReplay() async throws {
        let plugin = PubSubPlugin(
            authorize: { $0.topic != "room:secret" }, history: [HistoryRule(prefix: "room:", size: 100)], clientSubscriptions: true)
        let harness = try TestHarness(chatRouter(), plugins: ChatPlugins(pubsub: plugin))
        let first = await harness.connect(data: Member())
        await first.sendText(#"{"type":"$ws:subscribe","payload":{"topic":"room:1"}}"#)
        #expect(await eventually { first.frames.count == 1 })
        let answer = try #require(first.frames.first)
        #expect(answer.type == "$ws:subscribed")
        #expect(answer.payload?.objectValue?["recovered"] == .bool(false))
        let epoch = try #require(answer.payload?.objectValue?["epoch"]?.stringValue)
        publish(harness, ["1", "2", "3"])
        await first.close()
        publish(harness, ["4", "5"])

        let again = await harness.connect(data: Member())
        await again.sendText(#"{"type":"$ws:subscribe","payload":{"topic":"room:1","epoch":"\#(epoch)","offset":3}}"#)
        #expect(await eventually { again.frames.count == 3 })
        publish(harness, ["6"])
        #expect(again.frames.map(\.type) == ["$ws:subscribed", "CHAT", "CHAT", "CHAT"])
        let resumed = try #require(again.frames.first?.payload?.objectValue)
        #expect(resumed["recovered"] == .bool(true))
        #expect(resumed["offset"]?.intValue == 5 && resumed["replayed"]?.intValue == 2)
        #expect(try again.messages(ChatLine.self).map(\.text) == ["4", "5", "6"])

        // Refused and malformed subscriptions are answered with an error.
        await again.sendText(#"{"type":"$ws:subscribe","payload":{"topic":"room:secret"}}"#)
        await again.sendText(#"{"type":"$ws:subscribe","payload":{"topic":"room:2","epoch":"e"}}"#)
        #expect(await eventually { again.frames.count == 6 })
        let errors = again.frames.suffix(2).compactMap { $0.payload?.objectValue?["error"]?.objectValue?["code"]?.stringValue }
        #expect(Set(errors) == ["ACL_SUBSCRIBE", "INVALID_ARGUMENT"])
        await again.sendText(#"{"type":"$ws:unsubscribe","payload":{"topic":"room:1"}}"#)
        #expect(await eventually { !again.connection.topics.has("room:1") })
        try await harness.finish()
    }

    @Test func invalidHistoryRulesFailTheBuild() throws {
        #expect(throws: (any Error).self) {
            _ = try TestHarness(chatRouter(), plugins: ChatPlugins(pubsub: PubSubPlugin(history: [HistoryRule(prefix: "", size: 0)])))
        }
    }
}
