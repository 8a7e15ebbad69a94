import WSKitLiveFixtures
import Synchronization
import Testing
import WSKitContract
import WSKitPubSub
import WSKitRouter
import WSKitTesting

/// Per-connection topics: every rule of `ctx.topics`.
@Suite struct TopicsTests {
    func harness(_ plugin: PubSubPlugin = PubSubPlugin(), router: Router<Member, ChatPlugins> = chatRouter()) throws -> TestHarness<Member, ChatPlugins> {
        try TestHarness(router, plugins: ChatPlugins(pubsub: plugin))
    }

    @Test func subscribeUnsubscribeHasAndListInOrder() async throws {
        let harness = try harness()
        let client = await harness.connect(data: Member())
        let topics = client.connection.topics
        #expect(try await topics.subscribe("b"))
        #expect(try await topics.subscribe("a"))
        #expect(try await topics.subscribe("c"))
        #expect(topics.list == ["b", "a", "c"])
        #expect(topics.count == 3)
        #expect(topics.has("a") && !topics.has("z"))
        #expect(topics.unsubscribe("a"))
        #expect(topics.list == ["b", "c"])
        #expect(!topics.has("a"))
        try await harness.finish()
    }

    @Test func subscribingTwiceIsANoOpWithoutSideEffects() async throws {
        let asked = Recorder<String>()
        let plugin = PubSubPlugin(authorize: { access in
            asked.append("\(access.action) \(access.topic)")
            return true
        })
        let harness = try harness(plugin)
        let client = await harness.connect(data: Member())
        #expect(try await client.connection.topics.subscribe("room"))
        #expect(try await client.connection.topics.subscribe("room") == false)
        // The second call did not validate, authorise or count against the limit.
        #expect(asked.all == ["subscribe room"])
        #expect(client.connection.topics.list == ["room"])
        #expect(harness.runtime.pubsub.statistics.subscriptions == 1)
        try await harness.finish()
    }

    @Test func unsubscribingWhatIsNotSubscribedIsASoftNoOpEvenForInvalidNames() async throws {
        let harness = try harness()
        let client = await harness.connect(data: Member())
        #expect(client.connection.topics.unsubscribe("never") == false)
        #expect(client.connection.topics.unsubscribe("not a valid topic!") == false)
        #expect(client.connection.topics.unsubscribe(["x", "y"]) == TopicsChange(total: 0))
        try await harness.finish()
    }

    @Test func topicsAreNormalisedBeforeEverything() async throws {
        let harness = try harness(PubSubPlugin(topicRules: TopicRules(normalize: TopicRules.lowercased)))
        let client = await harness.connect(data: Member())
        let topics = client.connection.topics
        #expect(try await topics.subscribe("Room:1"))
        #expect(try await topics.subscribe("ROOM:1") == false)
        #expect(topics.has("room:1") && topics.has("rOOm:1"))
        #expect(topics.list == ["room:1"])
        #expect(topics.unsubscribe("ROOM:1"))
        try await harness.finish()
    }

    @Test func trimmingNormaliser() {
        #expect(TopicRules.trimmingWhitespace("  a b \n") == "a b")
        #expect(TopicRules.trimmingWhitespace("   ") == "")
    }

    @Test(arguments: [
        ("", "length"),
        (String(repeating: "x", count: 129), "length"),
        ("has space", "pattern"),
        ("émoji", "pattern"),
        ("a*b", "pattern"),
    ])
    func invalidTopicsAreRefused(topic: String, reason: String) async throws {
        let harness = try harness()
        let client = await harness.connect(data: Member())
        let error = await #expect(throws: PubSubError.self) { try await client.connection.topics.subscribe(topic) }
        #expect(error?.code == .invalidTopic)
        #expect(error?.reason?.code == reason)
        #expect(client.connection.topics.list.isEmpty)
        try await harness.finish()
    }

    @Test func theDefaultPatternAcceptsWSKitTopics() async throws {
        let harness = try harness()
        let client = await harness.connect(data: Member())
        let valid = ["room:1", "user/42", "a.b-c_d", "X", String(repeating: "x", count: 128)]
        let change = try await client.connection.topics.subscribe(valid)
        #expect(change.added == valid)
        try await harness.finish()
    }

    @Test func customLengthCharactersAndCheck() async throws {
        let rules = TopicRules(
            maxLength: 8, allowedCharacters: TopicCharacterSet("abc#"),
            validate: { $0.hasPrefix("#") ? "no leading #" : nil })
        let harness = try harness(PubSubPlugin(topicRules: rules))
        let client = await harness.connect(data: Member())
        let topics = client.connection.topics
        #expect(try await topics.subscribe("ab#c"))
        await #expect(throws: PubSubError.self) { try await topics.subscribe("abcabcabc") }
        await #expect(throws: PubSubError.self) { try await topics.subscribe("abd") }
        do throws(PubSubError) {
            try await topics.subscribe("#ab")
            Issue.record("expected a refusal")
        } catch {
            #expect(error.code == .invalidTopic)
            #expect(error.reason == .rejected("no leading #"))
            #expect(error.wireError.code == .invalidArgument)
        }
        try await harness.finish()
    }

    @Test func authorisationSeesTypedDataAndRefuses() async throws {
        let plugin = PubSubPlugin(authorize: { access in
            guard access.topic.hasPrefix("admin:") else { return true }
            return access.data(as: Member.self)?.admin == true
        })
        let harness = try harness(plugin)
        let user = await harness.connect(data: Member(name: "u"))
        let admin = await harness.connect(data: Member(name: "a", admin: true))
        do throws(PubSubError) {
            try await user.connection.topics.subscribe("admin:ops")
            Issue.record("expected ACL_SUBSCRIBE")
        } catch {
            #expect(error.code == .aclSubscribe)
            #expect(error.topic == "admin:ops")
            #expect(error.wireError.code == .permissionDenied)
        }
        #expect(try await admin.connection.topics.subscribe("admin:ops"))
        #expect(try await user.connection.topics.subscribe("lobby"))
        try await harness.finish()
    }

    @Test func theLimitCountsPerConnection() async throws {
        let harness = try harness(PubSubPlugin(maxTopicsPerConnection: 2))
        let first = await harness.connect(data: Member())
        let second = await harness.connect(data: Member())
        try await first.connection.topics.subscribe("a")
        try await first.connection.topics.subscribe("b")
        do throws(PubSubError) {
            try await first.connection.topics.subscribe("c")
            Issue.record("expected TOPIC_LIMIT_EXCEEDED")
        } catch {
            #expect(error.code == .topicLimitExceeded)
            let wire = error.wireError
            #expect(wire.code == .resourceExhausted && wire.retryImpossible)
        }
        // An existing topic is still a no-op at the limit; another connection has its own count.
        #expect(try await first.connection.topics.subscribe("a") == false)
        try await second.connection.topics.subscribe(["a", "c"])
        #expect(first.connection.topics.list == ["a", "b"])
        try await harness.finish()
    }

    @Test func aBatchIsAllOrNothing() async throws {
        let harness = try harness(PubSubPlugin(maxTopicsPerConnection: 3))
        let client = await harness.connect(data: Member())
        let topics = client.connection.topics
        try await topics.subscribe("keep")
        await #expect(throws: PubSubError.self) { try await topics.subscribe(["ok1", "bad topic", "ok2"]) }
        #expect(topics.list == ["keep"])
        await #expect(throws: PubSubError.self) { try await topics.subscribe(["n1", "n2", "n3"]) }
        #expect(topics.list == ["keep"])
        let change = try await topics.subscribe(["n1", "keep", "n2", "n1"])
        #expect(change == TopicsChange(added: ["n1", "n2"], total: 3))
        let removed = topics.unsubscribe(["n2", "missing", "keep"])
        #expect(removed == TopicsChange(removed: ["n2", "keep"], total: 1))
        try await harness.finish()
    }

    @Test func setReplacesTheTopicsAndSwapsAtTheLimit() async throws {
        let harness = try harness(PubSubPlugin(maxTopicsPerConnection: 2))
        let client = await harness.connect(data: Member())
        let topics = client.connection.topics
        try await topics.subscribe(["a", "b"])
        // At the limit: removals happen first, so a full swap works.
        let change = try await topics.set(["c", "b"])
        #expect(change == TopicsChange(added: ["c"], removed: ["a"], total: 2))
        #expect(topics.list == ["b", "c"])
        #expect(try await topics.set(["b", "c"]) == TopicsChange(total: 2))
        await #expect(throws: PubSubError.self) { try await topics.set(["x", "y", "z"]) }
        await #expect(throws: PubSubError.self) { try await topics.set(["x", "bad topic"]) }
        #expect(topics.list == ["b", "c"])
        #expect(topics.clear() == TopicsChange(removed: ["b", "c"], total: 0))
        #expect(topics.list.isEmpty)
        try await harness.finish()
    }

    @Test func topicsAreDroppedOnCloseAfterOnCloseHooksSawThem() async throws {
        let seen = Recorder<[String]>()
        let refused = Recorder<PubSubError.Code>()
        let router = chatRouter()
        router.onClose { ctx in
            seen.append(ctx.topics.list)
            do throws(PubSubError) { try await ctx.topics.subscribe("late") } catch { refused.append(error.code) }
        }
        let harness = try harness(router: router)
        let client = await harness.connect(data: Member())
        let other = await harness.connect(data: Member())
        try await client.connection.topics.subscribe(["a", "b"])
        try await other.connection.topics.subscribe("a")
        #expect(harness.runtime.pubsub.subscriberCount(of: "a") == 2)
        await client.close()
        #expect(seen.all == [["a", "b"]])
        #expect(refused.all == [.connectionClosed])
        #expect(client.connection.topics.list.isEmpty)
        #expect(harness.runtime.pubsub.subscriberCount(of: "a") == 1)
        #expect(harness.runtime.pubsub.activeTopics == ["a"])
        try await harness.finish()
        #expect(harness.runtime.pubsub.statistics.subscriptions == 0)
    }

    @Test func aHandlerSubscribesAndTheErrorReachesTheClient() async throws {
        let harness = try harness()
        let client = await harness.connect(data: Member())
        try await client.send(Join.self, .init(topic: "room:1"))
        try await client.send(Join.self, .init(topic: "no good"))
        #expect(client.connection.topics.list == ["room:1"])
        let error = try #require(client.errors.first)
        #expect(error.code == .invalidArgument)
        #expect(error.details?["code"]?.stringValue == "INVALID_TOPIC")
        try await harness.finish()
    }
}
