import Testing
import WSKit
import WSKitDemo
import WSKitLiveFixtures

/// History outlives the process: SQLite in the file given with `--db`.
@Suite("Demo history persistence", .serialized)
struct PersistenceTests {
    @Test("the store keeps rows across reopening, per room, oldest first; clear is per room")
    func storeReopens() async throws {
        try await runBlocking { try Self.storeReopensBody() }
    }

    static func storeReopensBody() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/nested/dir/chat.sqlite"
        do {
            let store = try HistoryStore(path: path)
            try store.append(ChatRow(id: "a", ts: 1, userId: "u1", displayName: "Ann", text: "first"), room: "one")
            try store.append(ChatRow(id: "b", ts: 2, userId: "u2", displayName: "Ben", text: "second 'quoted' ; DROP"), room: "one")
            try store.append(ChatRow(id: "c", ts: 3, userId: "u2", displayName: "Ben", text: "elsewhere"), room: "two")
        }
        let reopened = try HistoryStore(path: path)
        #expect(try reopened.list(room: "one", limit: 10).map(\.text) == ["first", "second 'quoted' ; DROP"])
        #expect(try reopened.list(room: "one", limit: 1).map(\.id) == ["b"])
        #expect(try reopened.clear(room: "one") == 2)
        #expect(try reopened.list(room: "one", limit: 10).isEmpty)
        #expect(try reopened.list(room: "two", limit: 10).map(\.displayName) == ["Ben"])
    }

    @Test("a message sent to wskit-demo is there after the process is restarted with the same --db")
    func survivesRestart() async throws {
        let directory = TemporaryDirectory()
        let database = directory.path + "/chat.sqlite"
        let first = try await DemoProcess.start(arguments: ["--db", database])
        let id = try await runBlocking { () throws -> String in
            let writer = try ChatTestClient(port: first.port, room: "persist", name: "Writer")
            let sent = try writer.request("SEND_MESSAGE", #"{"text":"remember me"}"#)
            writer.close()
            return try #require(sent.payload?["id"]?.stringValue)
        }
        first.stop()

        let second = try await DemoProcess.start(arguments: ["--db", database])
        try await runBlocking {
            let reader = try ChatTestClient(port: second.port, room: "persist", name: "Reader")
            let rows = try reader.request("LIST_HISTORY").payload?["messages"]?.arrayValue
            #expect(rows?.map { $0["id"]?.stringValue } == [id])
            #expect(rows?.first?["text"]?.stringValue == "remember me")
            #expect(rows?.first?["displayName"]?.stringValue == "Writer")
        }
        second.stop()
    }
}
