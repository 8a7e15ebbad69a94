import WSKitLiveFixtures
import Synchronization
import Testing
import WSKitContract
import WSKitPubSub
import WSKitRouter
import WSKitTesting

/// The adapter contract, with in-process brokers: loopback, interest, excludeSelf across
/// instances, outages, rollback, the message codec.
@Suite struct AdapterTests {
    /// Two "instances" (harnesses) sharing one in-memory broker.
    func twoInstances(_ broker: InMemoryPubSubBroker) throws -> (TestHarness<Member, ChatPlugins>, TestHarness<Member, ChatPlugins>) {
        let a = try TestHarness(chatRouter(), plugins: ChatPlugins(pubsub: PubSubPlugin(adapter: broker.makeAdapter())))
        let b = try TestHarness(chatRouter(), plugins: ChatPlugins(pubsub: PubSubPlugin(adapter: broker.makeAdapter())))
        return (a, b)
    }

    @Test func aPublishReachesSubscribersOfEveryInstanceAndExcludeSelfHoldsAcrossThem() async throws {
        let broker = InMemoryPubSubBroker()
        let (a, b) = try twoInstances(broker)
        let onA = await a.connect(data: Member(name: "on-a"), clientId: "client-a")
        let onB = await b.connect(data: Member(name: "on-b"), clientId: "client-b")
        // The same client id connected to both instances (an application-chosen id).
        let twinA = await a.connect(data: Member(), clientId: "twin")
        let twinB = await b.connect(data: Member(), clientId: "twin")
        for client in [onA, onB, twinA, twinB] { try await client.connection.topics.subscribe("room") }

        try await twinA.send(Say.self, .init(topic: "room", text: "from twin", excludeSelf: true))
        #expect(try onA.messages(ChatLine.self) == [.init(text: "from twin")])
        #expect(try onB.messages(ChatLine.self) == [.init(text: "from twin")])
        #expect(try twinA.messages(ChatLine.self).isEmpty)
        #expect(try twinB.messages(ChatLine.self).isEmpty)
        // matched counts local subscribers only (instance A: on-a; the twin is excluded).
        #expect(try twinA.messages(Published.self) == [.init(matched: 1)])

        let fromServer = await b.runtime.pubsub.publish(ChatLine.self, .init(text: "server"), to: "room", options: .excluding("client-a"))
        #expect(fromServer.receipt?.instancesReached == 2)
        #expect(try onA.messages(ChatLine.self).count == 1)
        #expect(try twinA.messages(ChatLine.self) == [.init(text: "server")])
        try await a.finish()
        try await b.finish()
    }

    @Test func theImmediateModeDoesNotWaitForTheBrokerAndKeepsTheOtherOptions() async throws {
        let broker = InMemoryPubSubBroker()
        let (a, b) = try twoInstances(broker)
        let skipped = await a.connect(data: Member(), clientId: "client-a")
        let other = await a.connect(data: Member(), clientId: "client-other")
        for client in [skipped, other] { try await client.connection.topics.subscribe("room") }
        // Acknowledged (the default): the broker's answer is in the receipt.
        #expect(await b.runtime.pubsub.publish(Nudge.self, to: "room").receipt?.instancesReached == 1)
        // Immediate: handed to the broker without waiting, so nobody counted the instances.
        let options = PublishOptions(meta: ["traceId": "t1"], exclude: .client("client-a"), mode: .immediate)
        let immediate = await b.runtime.pubsub.publish(Nudge.self, to: "room", options: options)
        #expect(immediate.isPublished)
        #expect(immediate.receipt?.instancesReached == nil)
        #expect(skipped.frames.map(\.type) == ["NUDGE"])
        #expect(other.frames.map(\.type) == ["NUDGE", "NUDGE"])
        #expect(other.frames.last?.meta["traceId"] == "t1")
        try await a.finish()
        try await b.finish()
    }

    @Test func onlyInstancesWithInterestGetTheMessage() async throws {
        let broker = InMemoryPubSubBroker()
        let (a, b) = try twoInstances(broker)
        let onA = await a.connect(data: Member())
        _ = await b.connect(data: Member())
        try await onA.connection.topics.subscribe("only-a")
        let result = await b.runtime.pubsub.publish(Nudge.self, to: "only-a")
        #expect(result.receipt?.instancesReached == 1)
        #expect(result.matched == 0)
        #expect(onA.frames.map(\.type) == ["NUDGE"])
        onA.connection.topics.unsubscribe("only-a")
        #expect(await b.runtime.pubsub.publish(Nudge.self, to: "only-a").receipt?.instancesReached == 0)
        try await a.finish()
        try await b.finish()
    }

    @Test func anOutageIsAFailedResultAndAnErrorReportAndNothingIsDelivered() async throws {
        let broker = InMemoryPubSubBroker()
        let events = Recorder<PubSubAdapterEvent>()
        let plugin = PubSubPlugin(adapter: broker.makeAdapter(), onAdapterEvent: { events.append($0) })
        let harness = try TestHarness(chatRouter(), plugins: ChatPlugins(pubsub: plugin))
        let client = await harness.connect(data: Member())
        try await client.connection.topics.subscribe("room")
        broker.isAvailable = false
        #expect(harness.runtime.pubsub.isAvailable == false)
        let result = await harness.runtime.pubsub.publish(Nudge.self, to: "room")
        #expect(result.error?.code == .adapterError)
        #expect(result.error?.isRetryable == true)
        #expect(result.error?.adapterError?.kind == .unavailable)
        let now = harness.runtime.pubsub.publishNow(Nudge.self, to: "room")
        #expect(now.error?.code == .adapterError)
        #expect(client.frames.isEmpty)
        // Subscribing during the outage works: the interest is restored when the broker is back.
        #expect(try await client.connection.topics.subscribe("later"))
        broker.isAvailable = true
        #expect(await harness.runtime.pubsub.publish(Nudge.self, to: "later").matched == 1)
        #expect(client.frames.count == 1)
        #expect(events.all.map(\.isFailure) == [true, false])
        #expect(harness.errors.filter { $0.phase == .plugin }.count == 1)
        try await harness.finish()
    }

    @Test func aFailedConfirmationRollsTheSubscriptionBack() async throws {
        let adapter = RefusingAdapter(refused: ["no"])
        let harness = try TestHarness(chatRouter(), plugins: ChatPlugins(pubsub: PubSubPlugin(adapter: adapter)))
        let client = await harness.connect(data: Member())
        let topics = client.connection.topics
        try await topics.subscribe(["a", "b"])
        let error = await #expect(throws: PubSubError.self) { try await topics.subscribe(["c", "no"]) }
        #expect(error?.code == .adapterError)
        #expect(error?.wireError.code == .unavailable)
        #expect(topics.list == ["a", "b"])
        // set(): the removed topics come back.
        await #expect(throws: PubSubError.self) { try await topics.set(["no"]) }
        #expect(topics.list == ["a", "b"])
        #expect(adapter.interest == ["a", "b"])
        try await harness.finish()
        #expect(adapter.interest.isEmpty)
    }

    @Test func anAdapterServesOneRouter() throws {
        let adapter = InMemoryPubSubBroker().makeAdapter()
        let first = try TestHarness(chatRouter(), plugins: ChatPlugins(pubsub: PubSubPlugin(adapter: adapter)))
        #expect(throws: RouterBuildError.self) {
            _ = try TestHarness(chatRouter(), plugins: ChatPlugins(pubsub: PubSubPlugin(adapter: adapter)))
        }
        _ = first
        // The stateless in-process adapter may be shared.
        let shared = InMemoryPubSubAdapter()
        _ = try TestHarness(chatRouter(), plugins: ChatPlugins(pubsub: PubSubPlugin(adapter: shared)))
        _ = try TestHarness(chatRouter(), plugins: ChatPlugins(pubsub: PubSubPlugin(adapter: shared)))
    }

    @Test func invalidConfigurationFailsTheBuild() {
        #expect(throws: RouterBuildError.self) {
            _ = try TestHarness(chatRouter(), plugins: ChatPlugins(pubsub: PubSubPlugin(maxTopicsPerConnection: 0)))
        }
    }

    @Test(arguments: [nil, "", "client-1", String(repeating: "x", count: 300)])
    func theMessageCodecRoundTrips(exclude: String?) throws {
        let message = PubSubMessage(
            topic: "t", kind: .binary, body: [0, 1, 2, 255], excludeClientId: exclude, origin: "origin-id")
        let decoded = try #require(PubSubMessage(decoding: message.encoded(), topic: "t"))
        #expect(decoded == message)
        let text = PubSubMessage(topic: "t", kind: .text, body: Array("{}".utf8))
        #expect(PubSubMessage(decoding: text.encoded(), topic: "t") == text)
    }

    @Test func theMessageCodecRejectsOtherData() {
        let valid = PubSubMessage(topic: "t", kind: .text, body: [], excludeClientId: "abc", origin: "o").encoded()
        #expect(PubSubMessage(decoding: Array("{\"type\":\"X\"}".utf8), topic: "t") == nil)
        #expect(PubSubMessage(decoding: [0x57, 0x53, 0x4B, 0x02, 0, 0], topic: "t") == nil)
        for length in 0 ..< 10 { #expect(PubSubMessage(decoding: Array(valid.prefix(length)), topic: "t") == nil) }
        var flags = valid
        flags[4] |= 0x80
        #expect(PubSubMessage(decoding: flags, topic: "t") == nil)
    }

    @Test(arguments: [nil, "client-1"])
    func theMessageCodecDecodesPartOfALargerBufferInPlace(exclude: String?) throws {
        // A history entry read from Redis: "<offset> <time> " then the encoded message.
        let message = PubSubMessage(
            topic: "t", kind: .text, body: Array(#"{"type":"X","meta":{}}"#.utf8), excludeClientId: exclude, origin: "o")
        let encoded = message.encoded()
        let entry = Array("17 1765000000000 ".utf8) + encoded
        let decoded = try #require(PubSubMessage(decoding: entry[17...], topic: "t"))
        #expect(decoded == message)
        // A header cut short inside the larger buffer: refused, not read past the slice.
        let headerLength = encoded.count - message.body.count
        for end in 17 ..< 17 + headerLength { #expect(PubSubMessage(decoding: entry[17 ..< end], topic: "t") == nil) }
    }
}

/// An adapter whose broker refuses interest in some topics (like a Redis ACL would).
final class RefusingAdapter: PubSubAdapter {
    let refused: Set<String>
    private let state = Mutex<Set<String>>([])

    init(refused: Set<String>) { self.refused = refused }

    var interest: Set<String> { state.withLock { $0 } }
    var name: String { "refusing" }
    var loopsBack: Bool { false }
    func attach(_ ingress: PubSubIngress) throws(PubSubAdapterError) {}
    func updateInterest(subscribe: [String], unsubscribe: [String]) {
        state.withLock { interest in
            interest.subtract(unsubscribe)
            interest.formUnion(subscribe)
        }
    }
    func confirmInterest(_ topics: [String]) async -> Result<Void, PubSubAdapterError> {
        topics.contains(where: refused.contains) ? .failure(PubSubAdapterError(.failed, adapter: name, "NOPERM")) : .success(())
    }
    func publish(_ message: PubSubMessage) async -> Result<PubSubAcknowledgement, PubSubAdapterError> { .success(.init()) }
    func post(_ message: PubSubMessage) -> Result<Void, PubSubAdapterError> { .success(()) }
    var isAvailable: Bool { true }
    func ready(timeout: Duration) async -> Bool { true }
    func shutdown() async {}
}
