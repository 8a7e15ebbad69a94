import Testing
import WSKitContract
import WSKitPresence
import WSKitRouter
import WSKitTesting

/// Traffic in a large room: joins reach subscribers as one-entry diffs, a late subscriber gets
/// one state message, and members that did not subscribe get nothing.
@Suite struct DiffTrafficTests {
    @Test func thousandMembersJoinAndALateSubscriberGetsOneStateThenDiffs() async throws {
        let harness = try TestHarness(presenceRouter(), plugins: PresencePlugins())
        let early = await harness.connect(data: User(id: "early", name: "Early"))
        try await early.send(WatchRoom.self, .init(room: "big"))
        var members: [TestConnection<User, PresencePlugins>] = []
        for index in 0 ..< 1_000 {
            let member = await harness.connect(data: User(id: "u\(index)", name: "User \(index)"))
            try await member.send(EnterRoom.self, .init(room: "big"))
            members.append(member)
        }
        // The early subscriber: one (empty) state, then 1,000 diffs of exactly one join each.
        let earlyFrames = early.presenceFrames
        #expect(earlyFrames.count == 1_001)
        #expect(earlyFrames.first?.type == PresenceWire.state)
        #expect(earlyFrames.dropFirst().allSatisfy {
            $0.type == PresenceWire.diff && $0.payload?["joins"]?.objectValue?.count == 1
                && $0.payload?["leaves"]?.objectValue?.isEmpty == true
        })
        // Members did not subscribe: not one presence frame among them.
        #expect(members.allSatisfy { $0.presenceFrames.isEmpty })

        let late = await harness.connect(data: User(id: "late", name: "Late"))
        try await late.send(WatchRoom.self, .init(room: "big"))
        let newcomer = await harness.connect(data: User(id: "new", name: "New"))
        try await newcomer.send(EnterRoom.self, .init(room: "big"))
        await members[0].close()
        let lateFrames = late.presenceFrames
        #expect(lateFrames.map(\.type) == [PresenceWire.state, PresenceWire.diff, PresenceWire.diff])
        #expect(lateFrames[0].payload?.objectValue?.count == 1_000)
        #expect(lateFrames[1].payload?["joins"]?.objectValue?.keys == ["new"])
        #expect(lateFrames[2].payload?["leaves"]?.objectValue?.keys == ["u0"])
        var view = ClientView()
        try view.sync(late)
        #expect(view.model.count == 1_000)
        try await harness.finish()
    }
}
