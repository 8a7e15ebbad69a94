import WSKit

/// A producer that can outrun its consumers: a ticker that moves `symbols` prices at `perSecond`
/// updates per second and hands each batch to every subscribed connection on the connection's
/// own event loop.
///
/// Flow control on two levels:
/// - per event loop (``LoopOutbox``): batches wait in one outbox per loop and the loop takes all
///   of them at once, so a loop that is late (a busy machine) gets one bigger delivery, never a
///   queue of tasks; past a bound the outbox keeps the latest value per symbol;
/// - per connection (``FeedSubscriber``): all of a fast client's updates, the latest value per
///   symbol for a slow one.
public final class LiveFeed: Sendable {
    private struct State {
        var perSecond: Int
        var paused = false
        var seq = 0
        /// Fractional updates carried to the next batch.
        var carry = 0.0
        var prices: [Int]
        var latest: [String: Quote] = [:]
        var subscribers: [String: FeedSubscriber] = [:]
        var outboxes: [ObjectIdentifier: LoopOutbox] = [:]
        var random = SplitMix64(seed: 0x5EED)
        var running: Task<Void, Never>?
    }

    /// The instruments, in a fixed order.
    public let symbols: [String]
    /// How often a batch is produced.
    public let interval: Duration
    private let clock: any RouterClock
    private let state: Mutex<State>

    /// A feed of `symbols` instruments moving at `perSecond` updates a second, in batches every
    /// `interval`.
    public init(symbols count: Int = 40, perSecond: Int = 2_000, interval: Duration = .milliseconds(20), clock: any RouterClock = SystemClock()) {
        precondition(count > 0 && count <= 676, "between 1 and 676 symbols")
        symbols = (0..<count).map { Self.symbolName($0) }
        self.interval = interval
        self.clock = clock
        state = Mutex(State(perSecond: perSecond, prices: Array(repeating: 10_000, count: count)))
    }

    // MARK: Running

    /// Starts producing (idempotent).
    public func start() {
        state.withLock { state in
            guard state.running == nil else { return }
            state.running = Task { [self] in
                while !Task.isCancelled {
                    try? await clock.sleep(for: interval)
                    tick()
                }
            }
        }
    }

    /// Stops producing.
    public func stop() {
        state.withLock { state in
            state.running?.cancel()
            state.running = nil
        }
    }

    /// Holds the prices still (the feed keeps running; batches are empty) or lets them move again.
    public func setPaused(_ paused: Bool) {
        state.withLock { $0.paused = paused }
    }

    /// Updates per second.
    public var perSecond: Int { state.withLock { $0.perSecond } }

    /// Changes the rate and tells every subscriber.
    public func setRate(_ perSecond: Int) {
        let subscribers = state.withLock { state -> [FeedSubscriber] in
            state.perSecond = perSecond
            return Array(state.subscribers.values)
        }
        let rate = FeedRate.Payload(perSecond: perSecond, symbols: symbols.count)
        onLoops(of: subscribers) { $0.context.send(FeedRate.self, rate) }
    }

    /// The latest quote of every symbol that has moved, in symbol order.
    public var latest: [Quote] {
        state.withLock { state in symbols.compactMap { state.latest[$0] } }
    }

    // MARK: Subscribers

    /// Starts sending to a connection (from its `onOpen`: it gets the rate, then every batch).
    public func subscribe(_ context: ConnectionContext<Watcher, FeedPlugins>) {
        let subscriber = FeedSubscriber(context)
        let rate = state.withLock { state -> FeedRate.Payload in
            state.subscribers[context.clientId] = subscriber
            return FeedRate.Payload(perSecond: state.perSecond, symbols: symbols.count)
        }
        onLoops(of: [subscriber]) { $0.context.send(FeedRate.self, rate) }
    }

    /// Stops sending to a connection (from its `onClose`).
    public func unsubscribe(clientId: String) {
        _ = state.withLock { $0.subscribers.removeValue(forKey: clientId) }
    }

    /// A connection wrote its backlog (from the router's `onDrain`, on its loop).
    public func drained(clientId: String) {
        let subscriber = state.withLock { $0.subscribers[clientId] }
        subscriber?.drain(now: Int(clock.nowMs))
    }

    /// Every subscriber's flow-control state, by name then id.
    public func stats() -> [SubscriberStats] {
        let now = Int(clock.nowMs)
        let subscribers = state.withLock { Array($0.subscribers.values) }
        return subscribers.map { $0.stats(now: now) }.sorted { ($0.name, $0.clientId) < ($1.name, $1.clientId) }
    }

    // MARK: Producing

    /// Produces one batch and hands it to every subscriber's loop.
    func tick() {
        let now = Int(clock.nowMs)
        let (batch, inline, outboxes) = state.withLock { state -> ([Quote], [FeedSubscriber], [LoopOutbox]) in
            guard !state.paused, !state.subscribers.isEmpty else { return ([], [], []) }
            let exact = Double(state.perSecond) * interval.seconds + state.carry
            let count = Int(exact)
            state.carry = exact - Double(count)
            var batch: [Quote] = []
            batch.reserveCapacity(count)
            for _ in 0..<count {
                let index = Int(state.random.next() % UInt64(symbols.count))
                let step = Int(state.random.next() % 21) - 10
                state.prices[index] = max(1, state.prices[index] + step)
                state.seq += 1
                let quote = Quote(symbol: symbols[index], price: state.prices[index], seq: state.seq, at: now)
                state.latest[quote.symbol] = quote
                batch.append(quote)
            }
            var inline: [FeedSubscriber] = []
            var outboxes: [ObjectIdentifier: LoopOutbox] = [:]
            for subscriber in state.subscribers.values {
                guard let executor = subscriber.context.connection.executor else {
                    inline.append(subscriber)
                    continue
                }
                let key = ObjectIdentifier(executor)
                if outboxes[key] == nil {
                    let outbox = state.outboxes[key] ?? LoopOutbox(executor: executor, limit: 4)
                    state.outboxes[key] = outbox
                    outboxes[key] = outbox
                }
            }
            return (batch, inline, Array(outboxes.values))
        }
        guard !batch.isEmpty else { return }
        for subscriber in inline { subscriber.offer(batch, skipped: 0, now: now) }
        for outbox in outboxes where outbox.post(batch) {
            Task(executorPreference: outbox.executor) { [self] in
                let (quotes, skipped) = outbox.take()
                let now = Int(clock.nowMs)
                for subscriber in subscribers(on: outbox.executor) { subscriber.offer(quotes, skipped: skipped, now: now) }
            }
        }
    }

    /// The subscribers whose connections live on `executor`.
    private func subscribers(on executor: any TaskExecutor) -> [FeedSubscriber] {
        let key = ObjectIdentifier(executor)
        return state.withLock { state in
            state.subscribers.values.filter { $0.context.connection.executor.map(ObjectIdentifier.init) == key }
        }
    }

    /// Runs `body` for each subscriber on its connection's event loop: one task per loop, or
    /// inline for hosts without one.
    private func onLoops(of subscribers: [FeedSubscriber], _ body: @escaping @Sendable (FeedSubscriber) -> Void) {
        var groups: [ObjectIdentifier: (executor: any TaskExecutor, members: [FeedSubscriber])] = [:]
        for subscriber in subscribers {
            guard let executor = subscriber.context.connection.executor else {
                body(subscriber)
                continue
            }
            groups[ObjectIdentifier(executor), default: (executor, [])].members.append(subscriber)
        }
        for (executor, members) in groups.values {
            Task(executorPreference: executor) {
                for subscriber in members { body(subscriber) }
            }
        }
    }

    static func symbolName(_ index: Int) -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return String([letters[index % 26], letters[(index / 26) % 26], letters[(index * 7 + 3) % 26]])
    }
}

/// A small, fast, seedable generator for the random walk.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
