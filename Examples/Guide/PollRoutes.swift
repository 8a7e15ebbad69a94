import WSKit

/// The topic of a poll's updates.
func topic(of pollId: String) -> String { "poll:\(pollId)" }

/// Creating polls and voting.
func pollRoutes(_ store: PollStore) -> Router<Voter, AppPlugins> {
    let router = Router<Voter, AppPlugins>()
    router.rpc(CreatePoll.self) { ctx in
        .init(pollId: store.create(options: ctx.payload.options.count))
    }
    router.rpc(Vote.self) { ctx in
        let counts = try store.vote(ctx.payload.pollId, option: ctx.payload.option)
        let tally = Tally(pollId: ctx.payload.pollId, counts: counts)
        await ctx.publish(PollUpdated.self, tally, to: topic(of: tally.pollId))
        return tally
    }
    router.rpc(Recount.self) { ctx in
        let counts = try store.counts(ctx.payload.pollId)
        for done in 1 ..< counts.count {
            ctx.progress(.init(pollId: ctx.payload.pollId, counts: Array(counts.prefix(done))))
        }
        return .init(pollId: ctx.payload.pollId, counts: counts)
    }
    return router
}

/// Following polls.
func watchRoutes(_ store: PollStore) -> Router<Voter, AppPlugins> {
    let router = Router<Voter, AppPlugins>()
    router.on(Watch.self) { ctx in
        _ = try store.counts(ctx.payload.pollId)          // PollError.noSuchPoll → ERROR NOT_FOUND
        try await ctx.topics.subscribe(topic(of: ctx.payload.pollId))
    }
    return router
}
