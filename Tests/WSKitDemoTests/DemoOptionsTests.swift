import Testing
import WSKit
import WSKitDemo

/// The command line and the upgrade path, as pure functions.
@Suite("Demo command line and upgrade paths")
struct DemoOptionsTests {
    @Test("defaults, PORT, flags with separate or inline values, --port wins over PORT")
    func parsing() throws {
        let defaults = try DemoOptions.parse([])
        #expect(defaults.port == 3000)
        #expect(defaults.host == "127.0.0.1")
        #expect(defaults.databasePath == "./data/chat.sqlite")
        #expect(defaults.redisURL == nil)
        #expect(try DemoOptions.parse([], environment: ["PORT": "8080"]).port == 8080)
        let flags = try DemoOptions.parse(
            ["--port", "4000", "--db=/tmp/x.sqlite", "--redis", "redis://127.0.0.1:6379", "--heartbeat-ms", "500"],
            environment: ["PORT": "8080"])
        #expect(flags.port == 4000)
        #expect(flags.databasePath == "/tmp/x.sqlite")
        #expect(flags.redisURL == "redis://127.0.0.1:6379")
        #expect(flags.heartbeatMs == 500)
    }

    @Test("unknown flags, missing values and bad numbers are refused; --help gives the usage")
    func refusals() {
        for arguments in [["--bogus"], ["--port"], ["--port", "70000"], ["--port", "x"], ["--heartbeat-ms", "5"]] {
            #expect(throws: DemoOptions.UsageError.self, "\(arguments)") { try DemoOptions.parse(arguments) }
        }
        #expect(throws: DemoOptions.UsageError.self) { try DemoOptions.parse([], environment: ["PORT": "nope"]) }
        do {
            _ = try DemoOptions.parse(["--help"])
            Issue.record("--help must throw the usage")
        } catch {
            #expect(error.description.hasPrefix("usage: wskit-demo"))
        }
    }

    @Test("the room comes from the path (percent-decoded, trimmed, default lobby), the name from ?name=")
    func upgradePaths() throws {
        func session(_ path: String, _ name: String?) -> ChatSession? {
            let query = name.map { [HTTPRequestHead.QueryItem(name: "name", value: $0)] } ?? []
            return try? ChatUpgrade.session(path: path, query: query).get()
        }
        #expect(session("/ws", nil) == ChatSession(room: "lobby", displayName: "anon"))
        #expect(session("/ws/", "  ") == ChatSession(room: "lobby", displayName: "anon"))
        #expect(session("/ws/caf%C3%A9%20bar", " Zoë ") == ChatSession(room: "café bar", displayName: "Zoë"))
        #expect(session("/ws/r", String(repeating: "n", count: 60))?.displayName.count == ChatUpgrade.maxNameLength)
        #expect(session("/ws/a/b", "x") == nil)
        #expect(session("/ws/" + String(repeating: "r", count: 65), "x") == nil)
        #expect(session("/chat", "x") == nil)
    }
}
