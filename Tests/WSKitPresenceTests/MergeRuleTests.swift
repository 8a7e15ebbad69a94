import Testing
import WSKitContract
import WSKitPresence
import WSKitRouter
import WSKitTesting

/// The merge rules subscribers and clients rely on: state first, then diffs with only what
/// changed; several connections per key; a meta update is a leave and a join; rejoin.
@Suite struct MergeRuleTests {
    @Test func aSubscriberGetsTheStateThenOnlyTheChanges() async throws {
        let harness = try TestHarness(presenceRouter(), plugins: PresencePlugins())
        let ada = await harness.connect(data: User(id: "ada", name: "Ada"))
        try await ada.send(EnterRoom.self, .init(room: "lobby"))
        let watcher = await harness.connect(data: User(id: "wat", name: "Watcher"))
        try await watcher.send(WatchRoom.self, .init(room: "lobby"))

        let first = try #require(watcher.presenceFrames.first)
        #expect(first.type == PresenceWire.state)
        #expect(first.meta["topic"] == "lobby")
        let adaMetas = try #require(first.payload?["ada"]?["metas"]?.arrayValue)
        #expect(adaMetas.count == 1)
        #expect(adaMetas[0]["name"] == "Ada")
        #expect(adaMetas[0]["$ref"]?.stringValue != nil)

        let bob = await harness.connect(data: User(id: "bob", name: "Bob"))
        try await bob.send(EnterRoom.self, .init(room: "lobby"))
        let frames = watcher.presenceFrames
        #expect(frames.count == 2)
        let diff = try #require(frames.last)
        #expect(diff.type == PresenceWire.diff)
        // Only Bob's join: no full list, no leaves.
        #expect(diff.payload?["joins"]?.objectValue?.keys == ["bob"])
        #expect(diff.payload?["leaves"]?.objectValue?.isEmpty == true)

        // Tracked connections that did not subscribe receive nothing.
        #expect(ada.presenceFrames.isEmpty)
        #expect(bob.presenceFrames.isEmpty)
        try await harness.finish()
    }

    @Test func aUserWithTwoConnectionsIsOnlineOnceAndOfflineAfterTheLast() async throws {
        let harness = try TestHarness(presenceRouter(), plugins: PresencePlugins())
        let watcher = await harness.connect(data: User(id: "wat", name: "Watcher"))
        try await watcher.send(WatchRoom.self, .init(room: "lobby"))
        let laptop = await harness.connect(data: User(id: "ada", name: "Ada", device: "laptop"))
        let phone = await harness.connect(data: User(id: "ada", name: "Ada", device: "phone"))
        try await laptop.send(EnterRoom.self, .init(room: "lobby"))
        try await phone.send(EnterRoom.self, .init(room: "lobby"))

        var view = ClientView()
        try view.sync(watcher)
        #expect(view.log == ["+ada online×1", "+ada×1"])
        #expect(view.model.metas(of: "ada").map { $0.fields["device"] } == ["laptop", "phone"])

        let users = try await harness.runtime.presence.list("lobby")
        #expect(users.map(\.key) == ["ada"])
        #expect(users[0].metas.map { $0.fields["device"] } == ["laptop", "phone"])

        await laptop.close()
        try view.sync(watcher)
        #expect(view.log.last == "-ada×1")
        #expect(view.model.isOnline("ada"))
        await phone.close()
        try view.sync(watcher)
        #expect(view.log.last == "-ada offline×1")
        #expect(view.model.count == 0)
        #expect(try await harness.runtime.presence.list("lobby").isEmpty)
        try await harness.finish()
    }

    @Test func aMetaUpdateIsALeaveAndAJoinOfThatConnection() async throws {
        let harness = try TestHarness(presenceRouter(), plugins: PresencePlugins())
        let ada = await harness.connect(data: User(id: "ada", name: "Ada"))
        try await ada.send(EnterRoom.self, .init(room: "lobby", watch: true))
        var view = ClientView()
        try view.sync(ada)
        let oldRef = try #require(view.model.metas(of: "ada").first?.ref)

        try await ada.send(SetStatus.self, .init(room: "lobby", status: "away"))
        let diff = try #require(ada.presenceFrames.last)
        let joined = try #require(diff.payload?["joins"]?["ada"]?["metas"]?[0])
        let left = try #require(diff.payload?["leaves"]?["ada"]?["metas"]?[0])
        #expect(left["$ref"]?.stringValue == oldRef)
        #expect(joined["$prev"]?.stringValue == oldRef)
        #expect(joined["$ref"]?.stringValue != oldRef)
        #expect(joined["status"] == "away")

        try view.sync(ada)
        // Neither offline nor online: the user stays, with one meta.
        #expect(Array(view.log.suffix(2)) == ["+ada×1", "-ada×1"])
        #expect(view.model.metas(of: "ada").map { $0.fields["status"] } == ["away"])
        let listed = try await harness.runtime.presence.list("lobby")
        #expect(listed.first?.metas.count == 1)
        #expect(listed.first?.metas.first?.fields["status"] == "away")
        try await harness.finish()
    }

    @Test func rejoiningGivesANewRefAndIsSeenAsOfflineThenOnline() async throws {
        let harness = try TestHarness(presenceRouter(), plugins: PresencePlugins())
        let watcher = await harness.connect(data: User(id: "wat", name: "Watcher"))
        try await watcher.send(WatchRoom.self, .init(room: "lobby"))
        let ada = await harness.connect(data: User(id: "ada", name: "Ada"))
        try await ada.send(EnterRoom.self, .init(room: "lobby"))
        var view = ClientView()
        try view.sync(watcher)
        let firstRef = try #require(view.model.metas(of: "ada").first?.ref)

        try await ada.send(LeaveRoom.self, .init(room: "lobby"))
        try await ada.send(EnterRoom.self, .init(room: "lobby"))
        try view.sync(watcher)
        #expect(view.log == ["+ada online×1", "-ada offline×1", "+ada online×1"])
        #expect(view.model.metas(of: "ada").count == 1)
        #expect(view.model.metas(of: "ada").first?.ref != firstRef)

        // Entering again while tracked replaces the entry (an update), never a duplicate.
        try await ada.send(EnterRoom.self, .init(room: "lobby"))
        try view.sync(watcher)
        #expect(view.model.metas(of: "ada").count == 1)
        #expect(try await harness.runtime.presence.list("lobby").first?.metas.count == 1)
        try await harness.finish()
    }

    @Test func aLateSubscriberBuffersNothingAndAReconnectRebuildsWithoutDuplicates() async throws {
        let harness = try TestHarness(presenceRouter(), plugins: PresencePlugins())
        let ada = await harness.connect(data: User(id: "ada", name: "Ada"))
        try await ada.send(EnterRoom.self, .init(room: "lobby"))
        let first = await harness.connect(data: User(id: "wat", name: "Watcher"))
        try await first.send(WatchRoom.self, .init(room: "lobby"))
        var view = ClientView()
        try view.sync(first)
        #expect(view.log == ["+ada online×1"])

        // The watcher's connection drops; Bob joins meanwhile; a new connection resubscribes.
        await first.close()
        view.model.markStale()
        let bob = await harness.connect(data: User(id: "bob", name: "Bob"))
        try await bob.send(EnterRoom.self, .init(room: "lobby"))
        let second = await harness.connect(data: User(id: "wat", name: "Watcher"))
        try await second.send(WatchRoom.self, .init(room: "lobby"))
        view.consumed = 0
        try view.sync(second)
        // Only the difference: Bob came online; Ada was already known.
        #expect(view.log == ["+ada online×1", "+bob online×1"])
        #expect(view.model.users.map(\.key) == ["ada", "bob"])
        #expect(view.model.metas(of: "ada").count == 1)
        try await harness.finish()
    }

    @Test func invalidInputIsAClearError() async throws {
        let harness = try TestHarness(presenceRouter(), plugins: PresencePlugins(presence: PresencePlugin(maxMetaBytes: 64)))
        let ada = await harness.connect(data: User(id: "ada", name: "Ada"))
        let presence = ConnectionPresence(connection: ada.connection)
        await #expect(throws: PresenceError.self) { try await presence.track("", key: "ada") }
        await #expect(throws: PresenceError.self) { try await presence.track("room with spaces", key: "ada") }
        await #expect(throws: PresenceError.self) { try await presence.track("lobby", key: "") }
        await #expect(throws: PresenceError.self) { try await presence.track("lobby", key: "ada", meta: ["$ref": "forged"]) }
        await #expect(throws: PresenceError.self) {
            try await presence.track("lobby", key: "ada", meta: ["blob": .string(String(repeating: "x", count: 100))])
        }
        do {
            try await presence.update("lobby", meta: [:])
            Issue.record("update of an untracked room succeeded")
        } catch {
            #expect(error.code == .notTracked)
        }
        #expect(presence.trackedRooms.isEmpty)
        #expect(try await harness.runtime.presence.list("lobby").isEmpty)
        try await harness.finish()
    }

    @Test func theBuildRejectsALeaseShorterThanTwoHeartbeats() {
        #expect(throws: RouterBuildError.self) {
            _ = try TestHarness(
                presenceRouter(),
                plugins: PresencePlugins(presence: PresencePlugin(lease: .seconds(5), heartbeatInterval: .seconds(5))))
        }
    }
}
