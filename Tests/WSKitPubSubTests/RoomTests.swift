import Testing
import WSKitContract
import WSKitPubSub
import WSKitRouter
import WSKitTesting

/// Rooms and presence: Socka's everyday case on top of topics.
@Suite struct RoomTests {
    struct Presence: Message {
        struct Payload: Codable, Sendable, Equatable { var names: [String] }
        static let type = "PRESENCE"
    }

    struct Joined: Message {
        struct Payload: Codable, Sendable, Equatable { var name: String }
        static let type = "JOINED"
    }

    struct Left: Message {
        struct Payload: Codable, Sendable, Equatable { var name: String }
        static let type = "LEFT"
    }

    /// The presence convention: snapshot to the newcomer, deltas to the others.
    func lobby() -> Router<Member, ChatPlugins> {
        let router = Router<Member, ChatPlugins>()
        router.onOpen { ctx in
            let room = ctx.room("lobby")
            try await room.join()
            ctx.send(Presence.self, .init(names: room.peers().map(\.name)))
            _ = await room.broadcast(Joined.self, .init(name: ctx.data.name), options: .excludingSelf)
        }
        router.onClose { ctx in
            // Still a member while onClose runs: the count excludes the leaver explicitly.
            let room = ctx.room("lobby")
            #expect(room.isMember)
            _ = await room.broadcast(Left.self, .init(name: ctx.data.name), options: .excludingSelf)
        }
        router.on(Say.self) { ctx in
            _ = await ctx.room("lobby").broadcast(ChatLine.self, .init(text: ctx.payload.text))
        }
        return router
    }

    @Test func peersCountAndBroadcastWithAndWithoutTheSender() async throws {
        let harness = try TestHarness(lobby(), plugins: ChatPlugins())
        let ada = await harness.connect(data: Member(name: "ada"))
        let bob = await harness.connect(data: Member(name: "bob"))
        let cyd = await harness.connect(data: Member(name: "cyd"))
        #expect(try ada.messages(Presence.self) == [.init(names: ["ada"])])
        #expect(try cyd.messages(Presence.self) == [.init(names: ["ada", "bob", "cyd"])])
        #expect(try ada.messages(Joined.self) == [.init(name: "bob"), .init(name: "cyd")])
        #expect(try cyd.messages(Joined.self).isEmpty)

        let room = bob.connection.room("lobby")
        #expect(room.count() == 3)
        #expect(room.count(excludingSelf: true) == 2)
        #expect(room.peers(excludingSelf: true).map(\.name) == ["ada", "cyd"])
        #expect(room.peerIds() == [ada.clientId, bob.clientId, cyd.clientId])

        // A chat line goes to everyone, the sender included.
        try await bob.send(Say.self, .init(topic: "lobby", text: "hello"))
        for client in [ada, bob, cyd] { #expect(try client.messages(ChatLine.self) == [.init(text: "hello")]) }

        await cyd.close()
        #expect(try ada.messages(Left.self) == [.init(name: "cyd")])
        #expect(harness.runtime.pubsub.room("lobby").peers().map(\.name) == ["ada", "bob"])
        try await harness.finish()
    }

    @Test func routerLevelRoomsSeePresenceAndBroadcast() async throws {
        let harness = try TestHarness(lobby(), plugins: ChatPlugins())
        let ada = await harness.connect(data: Member(name: "ada"))
        let bob = await harness.connect(data: Member(name: "bob"))
        let room = harness.runtime.pubsub.room("lobby")
        #expect(room.count() == 2)
        #expect(room.count(excluding: ada.clientId) == 1)
        #expect(room.contains(bob.clientId))
        #expect(room.peers(excluding: bob.clientId) == [Member(name: "ada")])
        let result = await room.broadcast(ChatLine.self, .init(text: "server says"), options: .excluding(ada.clientId))
        #expect(result.matched == 1)
        #expect(try bob.messages(ChatLine.self) == [.init(text: "server says")])
        #expect(try ada.messages(ChatLine.self).isEmpty)
        // Presence reflects data changes (a snapshot per call).
        bob.connection.assignData(Member(name: "robert"))
        #expect(room.peers().map(\.name) == ["ada", "robert"])
        try await harness.finish()
    }

    @Test func leavingAndRejoiningMovesToTheEndOfTheJoinOrder() async throws {
        let harness = try TestHarness(chatRouter(), plugins: ChatPlugins())
        let ada = await harness.connect(data: Member(name: "ada"))
        let bob = await harness.connect(data: Member(name: "bob"))
        #expect(try await ada.connection.room("r").join())
        #expect(try await bob.connection.room("r").join())
        #expect(try await ada.connection.room("r").join() == false)
        #expect(ada.connection.room("r").leave())
        #expect(ada.connection.room("r").leave() == false)
        try await ada.connection.room("r").join()
        #expect(harness.runtime.pubsub.room("r").peers().map(\.name) == ["bob", "ada"])
        try await harness.finish()
    }
}
