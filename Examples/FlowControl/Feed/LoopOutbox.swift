import WSKit

/// The feed's batches waiting for one event loop.
///
/// The producer posts every batch; only the first post after a take schedules a delivery task on
/// the loop, which takes everything posted until it runs. A loop that falls behind (a busy
/// machine) therefore gets one larger delivery instead of a growing queue of tasks, and once
/// `limit` batches wait the outbox keeps only the latest value per symbol, counting the rest as
/// skipped. Memory per loop is bounded by `limit` batches plus one value per symbol, whatever
/// the producer's rate.
final class LoopOutbox: Sendable {
    private struct State {
        var quotes: [Quote] = []
        var batches = 0
        var skipped = 0
        var scheduled = false
    }

    /// The loop.
    let executor: any TaskExecutor
    /// Batches held before coalescing.
    let limit: Int
    private let state = Mutex(State())

    init(executor: any TaskExecutor, limit: Int) {
        self.executor = executor
        self.limit = limit
    }

    /// Adds a batch. Returns `true` when the caller must schedule a delivery (none is pending).
    func post(_ batch: [Quote]) -> Bool {
        state.withLock { state in
            state.quotes += batch
            state.batches += 1
            if state.batches >= limit {
                var latest: [String: Quote] = [:]
                for quote in state.quotes { latest[quote.symbol] = quote }
                state.skipped += state.quotes.count - latest.count
                state.quotes = latest.values.sorted { $0.seq < $1.seq }
                state.batches = 1
            }
            if state.scheduled { return false }
            state.scheduled = true
            return true
        }
    }

    /// Everything posted since the last take, and how many updates were coalesced away.
    func take() -> (quotes: [Quote], skipped: Int) {
        state.withLock { state in
            defer { state = State() }
            return (state.quotes, state.skipped)
        }
    }
}
