import WSKit

/// One connection's side of the feed: sends while the connection keeps up, and coalesces to the
/// latest value per symbol while it does not.
///
/// The rule comes from the send result:
/// - `.sent`: the frame is on its way; keep sending.
/// - `.buffered`: it is queued behind bytes the peer has not read. From then on nothing more is
///   sent until the server reports the backlog written — the router's `onDrain` hook calls
///   ``drain(now:)``.
/// - `.dropped`: the server's per-connection buffer limit refused it (no drain follows a refusal);
///   its values are kept and retried with the next batch.
///
/// Meanwhile updates replace each other per symbol in `pending`: at most one value per symbol,
/// so memory is bounded by the number of symbols, not by how long the client is away. The next
/// send carries the latest values and the count of updates that were skipped.
///
/// Every call runs on the connection's event loop (``LiveFeed`` delivers per loop; `onDrain` runs
/// there): a send from another thread would be queued by the server and report `.buffered` with
/// no drain to follow.
final class FeedSubscriber: Sendable {
    private struct State {
        /// A send reported `.buffered`; the drain has not come yet.
        var awaitingDrain = false
        /// Since when (ms) the connection has been behind, or `nil`.
        var behindSince: Int?
        /// The latest quote per symbol that the connection has not been sent.
        var pending: [String: Quote] = [:]
        /// Updates replaced (here or before reaching this connection) since the last send.
        var skipped = 0
        var totalSkipped = 0
        var messages = 0
        var quotes = 0
        var congestions = 0
        var maxPending = 0
    }

    /// The connection, as a context for sends.
    let context: ConnectionContext<Watcher, FeedPlugins>
    private let state = Mutex(State())

    init(_ context: ConnectionContext<Watcher, FeedPlugins>) {
        self.context = context
    }

    /// New updates, oldest first; `skipped` updates were already coalesced away before them.
    func offer(_ quotes: [Quote], skipped: Int, now: Int) {
        let payload = state.withLock { state -> Ticks.Payload? in
            state.skipped += skipped
            if state.awaitingDrain || !state.pending.isEmpty {
                coalesce(quotes, into: &state)
                return state.awaitingDrain ? nil : takePending(&state)
            }
            return Ticks.Payload(quotes: quotes, skipped: takeSkipped(&state))
        }
        if let payload { send(payload, now: now) }
    }

    /// The backlog is written: send the latest value of every symbol that changed meanwhile.
    func drain(now: Int) {
        let payload = state.withLock { state -> Ticks.Payload? in
            guard state.awaitingDrain else { return nil }
            state.awaitingDrain = false
            if state.pending.isEmpty {
                state.behindSince = nil
                return nil
            }
            return takePending(&state)
        }
        if let payload { send(payload, now: now) }
    }

    /// What the feed knows about this connection now.
    func stats(now: Int) -> SubscriberStats {
        state.withLock { state in
            SubscriberStats(
                clientId: context.clientId, name: context.data.name, congested: state.behindSince != nil,
                lagMs: state.behindSince.map { max(0, now - $0) } ?? 0,
                pendingSymbols: state.pending.count, maxPendingSymbols: state.maxPending,
                skipped: state.totalSkipped + state.skipped, messages: state.messages, quotes: state.quotes,
                congestions: state.congestions)
        }
    }

    private func send(_ payload: Ticks.Payload, now: Int) {
        let result = context.send(Ticks.self, payload)
        state.withLock { state in
            switch result {
            case .sent, .buffered:
                state.messages += 1
                state.quotes += payload.quotes.count
                state.totalSkipped += payload.skipped
                if result == .buffered {
                    state.awaitingDrain = true
                    fallBehind(&state, now: now)
                } else if state.pending.isEmpty {
                    state.behindSince = nil
                }
            case .dropped:
                // Refused (over the buffer limit, or closing): keep the values for the next try,
                // behind anything that arrived meanwhile.
                fallBehind(&state, now: now)
                state.skipped += payload.skipped
                for quote in payload.quotes where (state.pending[quote.symbol]?.seq ?? 0) < quote.seq {
                    state.pending[quote.symbol] = quote
                }
                state.maxPending = max(state.maxPending, state.pending.count)
            }
        }
    }

    private func fallBehind(_ state: inout State, now: Int) {
        if state.behindSince == nil {
            state.behindSince = now
            state.congestions += 1
        }
    }

    private func coalesce(_ quotes: [Quote], into state: inout State) {
        for quote in quotes where state.pending.updateValue(quote, forKey: quote.symbol) != nil {
            state.skipped += 1
        }
        state.maxPending = max(state.maxPending, state.pending.count)
    }

    private func takePending(_ state: inout State) -> Ticks.Payload {
        let quotes = state.pending.values.sorted { $0.seq < $1.seq }
        state.pending.removeAll(keepingCapacity: true)
        return Ticks.Payload(quotes: quotes, skipped: takeSkipped(&state))
    }

    private func takeSkipped(_ state: inout State) -> Int {
        defer { state.skipped = 0 }
        return state.skipped
    }
}

/// One connection as the feed sees it (for the page's lag display, logs and tests).
public struct SubscriberStats: Sendable, Equatable, Codable {
    /// The connection's id.
    public var clientId: String
    /// The watcher's name.
    public var name: String
    /// Whether the connection is behind: its last send was queued or refused, and the values
    /// since then wait in `pending`.
    public var congested: Bool
    /// How long it has been behind, in milliseconds (0 when it keeps up).
    public var lagMs: Int
    /// Symbols waiting (at most the feed's symbol count).
    public var pendingSymbols: Int
    /// The most symbols that ever waited.
    public var maxPendingSymbols: Int
    /// Updates replaced by newer ones of the same symbol, in total.
    public var skipped: Int
    /// `TICKS` messages sent.
    public var messages: Int
    /// Quotes sent.
    public var quotes: Int
    /// How many times the connection fell behind.
    public var congestions: Int
}
