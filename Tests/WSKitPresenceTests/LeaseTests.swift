import Testing
import WSKitContract
import WSKitPresence
import WSKitRouter
import WSKitTesting

/// Several instances sharing one store (two routers in one process, one fake clock): one merged
/// list, leases that expire within the bound, no ghosts and no duplicates after an instance
/// comes back.
@Suite struct LeaseTests {
    struct Pair {
        let clock = FakeClock()
        let store: InMemoryPresenceStore
        let a: TestHarness<User, PresencePlugins>
        let b: TestHarness<User, PresencePlugins>
        let plugin: PresencePlugin

        init() throws {
            store = InMemoryPresenceStore(clock: clock)
            plugin = PresencePlugin(store: store, lease: .seconds(6), heartbeatInterval: .seconds(2))
            a = try TestHarness(presenceRouter(), plugins: PresencePlugins(presence: plugin), clock: clock)
            b = try TestHarness(presenceRouter(), plugins: PresencePlugins(presence: plugin), clock: clock)
        }

        /// Closes every connection of both instances, then checks both for leaks (the clock is
        /// shared, so one instance's timers would count as the other's leaks).
        func finish() async throws {
            for connection in a.allConnections + b.allConnections where !connection.isClosed { await connection.close() }
            try await a.finish()
            try await b.finish()
        }

        /// Advances both harnesses' work (one shared clock: timers fire once).
        func advance(by duration: Duration) async {
            await a.advance(by: duration)
            await b.settle()
        }
    }

    @Test func usersOnBothInstancesSeeOneMergedList() async throws {
        let pair = try Pair()
        let ada = await pair.a.connect(data: User(id: "ada", name: "Ada"))
        let bob = await pair.b.connect(data: User(id: "bob", name: "Bob"))
        try await ada.send(EnterRoom.self, .init(room: "lobby", watch: true))
        try await bob.send(EnterRoom.self, .init(room: "lobby", watch: true))
        var adaView = ClientView()
        var bobView = ClientView()
        try adaView.sync(ada)
        try bobView.sync(bob)
        #expect(adaView.model.users.map(\.key) == ["ada", "bob"])
        #expect(bobView.model.users.map(\.key) == ["ada", "bob"])
        #expect(try await pair.a.runtime.presence.list("lobby").map(\.key) == ["ada", "bob"])
        #expect(try await pair.b.runtime.presence.list("lobby").map(\.key) == ["ada", "bob"])
        #expect(pair.a.runtime.presence.instanceId != pair.b.runtime.presence.instanceId)
        try await pair.finish()
    }

    @Test func aCutOffInstancesUsersLeaveWithinTheBound() async throws {
        let pair = try Pair()
        let watcher = await pair.a.connect(data: User(id: "wat", name: "Watcher"))
        try await watcher.send(WatchRoom.self, .init(room: "lobby"))
        let bob = await pair.b.connect(data: User(id: "bob", name: "Bob"))
        try await bob.send(EnterRoom.self, .init(room: "lobby"))
        var view = ClientView()
        try view.sync(watcher)
        #expect(view.model.isOnline("bob"))

        // B hangs: it stops renewing. Until its lease ends, Bob is still listed.
        let start = pair.clock.nowMs
        pair.store.cutOff(instance: pair.b.runtime.presence.instanceId)
        await pair.advance(by: .seconds(4))
        try view.sync(watcher)
        #expect(view.model.isOnline("bob"))
        // Within lease + heartbeat interval, A's sweep removes Bob and the leave is broadcast.
        await pair.advance(by: pair.plugin.expiryBound - .seconds(4))
        try view.sync(watcher)
        #expect(!view.model.isOnline("bob"))
        #expect(view.log.last == "-bob offline×1")
        #expect(pair.clock.nowMs - start <= pair.plugin.expiryBound.wholeMilliseconds)
        #expect(try await pair.a.runtime.presence.list("lobby").isEmpty)

        // B comes back: its old id is dead; it re-registers under a new one and writes Bob
        // again — once.
        let oldId = pair.b.runtime.presence.instanceId
        pair.store.restore(instance: oldId)
        await pair.advance(by: pair.plugin.heartbeatInterval)
        #expect(pair.b.runtime.presence.instanceId != oldId)
        try view.sync(watcher)
        #expect(view.log.last == "+bob online×1")
        let listed = try await pair.a.runtime.presence.list("lobby")
        #expect(listed.map(\.key) == ["bob"])
        #expect(listed.first?.metas.count == 1)
        #expect(pair.store.entryCount == 1)
        try await pair.finish()
    }

    @Test func aUserOnBothInstancesGoesOfflineOnlyAfterBothClose() async throws {
        let pair = try Pair()
        let watcher = await pair.a.connect(data: User(id: "wat", name: "Watcher"))
        try await watcher.send(WatchRoom.self, .init(room: "lobby"))
        let onA = await pair.a.connect(data: User(id: "ada", name: "Ada", device: "laptop"))
        let onB = await pair.b.connect(data: User(id: "ada", name: "Ada", device: "phone"))
        try await onA.send(EnterRoom.self, .init(room: "lobby"))
        try await onB.send(EnterRoom.self, .init(room: "lobby"))
        var view = ClientView()
        try view.sync(watcher)
        #expect(view.log == ["+ada online×1", "+ada×1"])

        await onB.close()
        try view.sync(watcher)
        #expect(view.log.last == "-ada×1")
        #expect(view.model.isOnline("ada"))
        await onA.close()
        try view.sync(watcher)
        #expect(view.log.last == "-ada offline×1")
        try await pair.finish()
    }

    @Test func aGracefulShutdownRemovesTheInstancesEntriesAtOnce() async throws {
        let pair = try Pair()
        let watcher = await pair.a.connect(data: User(id: "wat", name: "Watcher"))
        try await watcher.send(WatchRoom.self, .init(room: "lobby"))
        let bob = await pair.b.connect(data: User(id: "bob", name: "Bob"))
        try await bob.send(EnterRoom.self, .init(room: "lobby"))
        await pair.b.runtime.presence.shutdown()
        var view = ClientView()
        try view.sync(watcher)
        #expect(view.log == ["+bob online×1", "-bob offline×1"])
        #expect(pair.store.entryCount == 0)
        try await pair.finish()
    }
}
