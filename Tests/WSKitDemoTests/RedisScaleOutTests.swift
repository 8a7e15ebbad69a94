import Glibc
import Testing
import WSKit
import WSKitDemo
import WSKitLiveFixtures

/// `--redis`: two wskit-demo processes sharing one real Redis act as one chat.
@Suite("Demo rooms across processes through Redis", .serialized)
struct RedisScaleOutTests {
    @Test("joins, presence, messages, clears and leaves cross between two wskit-demo processes")
    func twoProcesses() async throws {
        let redis = try await RedisServerProcess()
        let directory = TemporaryDirectory()
        let arguments = ["--redis", "redis://127.0.0.1:\(redis.port)", "--db", directory.path + "/shared.sqlite"]
        let east = try await DemoProcess.start(arguments: arguments)
        let west = try await DemoProcess.start(arguments: arguments)
        #expect(east.port != west.port)
        try await runBlocking { try Self.chat(east: east, west: west) }
        east.stop()
        west.stop()
        withExtendedLifetime(redis) {}
    }

    /// Two clients on each process, one elsewhere: everything crosses over.
    static func chat(east: DemoProcess, west: DemoProcess) throws {
        #expect(try httpGet(port: east.port, path: "/healthz").contains(#""rooms":"redis""#))

        let ada = try ChatTestClient(port: east.port, room: "scale%20out", name: "Ada")
        let bob = try ChatTestClient(port: west.port, room: "scale%20out", name: "Bob")
        let joined = try ada.push("USER_JOINED").payload
        #expect(joined?["displayName"]?.stringValue == "Bob", "a join on the other process reaches Ada")
        let stranger = try ChatTestClient(port: west.port, room: "elsewhere", name: "Eve")
        _ = try stranger.push("$ws:presence_state")

        // The Online list crosses over: Ada's presence (state, then diffs) shows Bob, who is
        // connected to the other process.
        let bobId = try #require(joined?["userId"]?.stringValue)
        var online = PresenceModel()
        _ = try online.apply(Envelope(validating: ada.push("$ws:presence_state")))
        while !online.isOnline(bobId) { _ = try online.apply(Envelope(validating: ada.push("$ws:presence_diff"))) }
        #expect(online.users.compactMap { $0.metas.first?.fields["displayName"]?.stringValue }.sorted() == ["Ada", "Bob"])

        for (client, selfName) in [(ada, "Ada"), (bob, "Bob")] {
            let presence = try client.request("LIST_PRESENCE").payload
            let users = presence?["users"]?.arrayValue ?? []
            #expect(users.compactMap { $0["displayName"]?.stringValue } == ["Ada", "Bob"], "presence spans both processes")
            let selfId = presence?["selfUserId"]?.stringValue
            #expect(users.first { $0["userId"]?.stringValue == selfId }?["displayName"]?.stringValue == selfName)
        }

        let sent = try bob.request("SEND_MESSAGE", #"{"text":"from the west"}"#)
        #expect(sent.type == "MESSAGE_SENT")
        for client in [ada, bob] {
            let row = try client.push("ROOM_MESSAGE").payload
            #expect(row?["text"]?.stringValue == "from the west")
            #expect(row?["id"] == sent.payload?["id"])
        }
        #expect(stranger.drain(for: 0.3).isEmpty, "another room hears nothing")
        let history = try ada.request("LIST_HISTORY").payload?["messages"]?.arrayValue
        #expect(history?.map { $0["text"]?.stringValue } == ["from the west"], "both processes share the SQLite file")

        #expect(try ada.request("CLEAR_HISTORY").type == "HISTORY_CLEARED_OK")
        #expect(try bob.push("HISTORY_CLEARED").payload?["clearedByDisplayName"]?.stringValue == "Ada")

        bob.close()
        #expect(try ada.push("USER_LEFT").payload?["displayName"]?.stringValue == "Bob")
        let after = try ada.request("LIST_PRESENCE").payload?["users"]?.arrayValue
        #expect(after?.count == 1)
    }
}
