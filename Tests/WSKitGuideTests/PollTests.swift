import Testing
import WSKit
import WSKitGuide
import WSKitTesting

/// The app through the test harness: no sockets, a fake clock, every frame recorded.
@Suite struct PollTests {
    func harness() throws -> TestHarness<Voter, AppPlugins> {
        try TestHarness(try makeApp(), plugins: AppPlugins())
    }

    @Test func votesAreCountedAndPushedToWatchers() async throws {
        let harness = try harness()
        let ada = await harness.connect(data: Voter(name: "ada"))
        let bob = await harness.connect(data: Voter(name: "bob"))

        let created = try await ada.call(CreatePoll.self, .init(question: "Tabs?", options: ["yes", "no"]))
        let pollId = try #require(created.reply?.pollId)
        try await bob.send(Watch.self, .init(pollId: pollId))

        let voted = try await ada.call(Vote.self, .init(pollId: pollId, option: 1))
        #expect(voted.reply?.counts == [0, 1])
        #expect(try bob.messages(PollUpdated.self) == [Tally(pollId: pollId, counts: [0, 1])])
        try await harness.finish()
    }

    @Test func recountStreamsProgressBeforeTheResult() async throws {
        let harness = try harness()
        let ada = await harness.connect(data: Voter(name: "ada"))
        let pollId = try #require(
            try await ada.call(CreatePoll.self, .init(question: "Lunch?", options: ["a", "b", "c"])).reply?.pollId)

        let recount = try await ada.call(Recount.self, .init(pollId: pollId))
        #expect(recount.progress.map(\.counts.count) == [1, 2])
        #expect(recount.reply?.counts == [0, 0, 0])
        try await harness.finish()
    }

    @Test func errorsMapThemselvesAndInvalidInputIsRefused() async throws {
        let harness = try harness()
        let ada = await harness.connect(data: Voter(name: "ada"))

        let unknown = try await ada.call(Vote.self, .init(pollId: "nope", option: 0))
        #expect(unknown.error?.code == .notFound)
        #expect(unknown.error?.details?["pollId"] == "nope")

        let invalid = try await ada.call(CreatePoll.self, .init(question: "", options: ["only one"]))
        #expect(invalid.error?.code == .invalidArgument)
        #expect(invalid.error?.description == """
            INVALID_ARGUMENT: Request validation failed \
            (payload.question: must contain at least 1 character; payload.options: must contain at least 2 elements)
            """)
        try await harness.finish()
    }

    @Test func votingTooFastIsRateLimited() async throws {
        let harness = try harness()
        let ada = await harness.connect(data: Voter(name: "ada"))
        let pollId = try #require(
            try await ada.call(CreatePoll.self, .init(question: "Again?", options: ["y", "n"])).reply?.pollId)

        // A vote costs 2 tokens of 5: the third in a row is refused, with the time to wait.
        for _ in 0 ..< 2 { #expect(try await ada.call(Vote.self, .init(pollId: pollId, option: 0)).reply != nil) }
        let third = try await ada.call(Vote.self, .init(pollId: pollId, option: 0))
        #expect(third.error?.code == .resourceExhausted)
        #expect(third.error?.retryAfterMs == 500)
        try await harness.finish()
    }
}
