import Testing
import WSKitClient
import WSKitGuide

/// The Swift client against the real server, over a real socket.
@Suite struct ClientTests {
    @Test func aSwiftClientVotes() async throws {
        let server = try makeServer(port: 0)
        try server.start()
        defer { server.shutdown() }

        var configuration = WebSocketClientConfiguration(url: try WebSocketURL("ws://127.0.0.1:\(server.port)/"))
        configuration.auth = ClientAuth(placement: .query) { "ada" }
        let client = WebSocketClient(configuration: configuration)
        try await client.connect()

        let poll = try await client.request(CreatePoll.self, .init(question: "Tabs?", options: ["yes", "no"]))
        let tally = try await client.request(Vote.self, .init(pollId: poll.pollId, option: 0))
        #expect(tally.counts == [1, 0])

        do {
            _ = try await client.request(Vote.self, .init(pollId: "nope", option: 0))
            Issue.record("an unknown poll must fail")
        } catch {                                   // error: WebSocketClientError
            guard case .server(let wire) = error else { throw error }
            #expect(wire.code == .notFound)
        }
        await client.close()
    }
}
