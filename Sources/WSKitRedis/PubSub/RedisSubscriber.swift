import Synchronization

/// A Redis pub/sub connection: `SUBSCRIBE` / `PSUBSCRIBE` and their undo, with messages delivered
/// through `messages` (or a handler) and every subscription restored after a reconnect.
///
/// Like `RedisConnection`, it has its own I/O thread and reconnects with backoff. The channels
/// and patterns it should be subscribed to are remembered here: `subscribe` records them even
/// when the connection is down (it then throws `.notConnected`, and the subscription is made on
/// reconnect), and after each reconnect the state only becomes `.connected` once the server has
/// confirmed every restored subscription, so `stateChanges()` tells outages apart from
/// recoveries. Messages published while the connection is down are lost (Redis pub/sub is
/// at-most-once).
public final class RedisSubscriber: Sendable {
    /// The configuration the connection was created with.
    public let configuration: RedisConfiguration
    /// Messages, in the order the server sent them, when the subscriber was created without a
    /// handler. A single consumer should iterate it; it finishes after `close()`. When the
    /// reader falls more than `bufferLimit` messages behind, newer messages are dropped and
    /// counted in `droppedMessageCount`.
    public let messages: AsyncStream<RedisPubSubMessage>
    let driver: RedisDriver<SubscriberSession>
    private let drops: RedisDropCounter

    /// Creates a subscriber delivering to `messages`, and starts connecting in the background.
    public init(configuration: RedisConfiguration, bufferLimit: Int = 100_000) {
        self.configuration = configuration
        let (stream, continuation) = AsyncStream.makeStream(of: RedisPubSubMessage.self, bufferingPolicy: .bufferingOldest(bufferLimit))
        messages = stream
        drops = RedisDropCounter()
        driver = RedisDriver(configuration: configuration, session: SubscriberSession(sink: .stream(continuation, drops), commandTimeout: configuration.commandTimeout))
        driver.start()
    }

    /// Creates a subscriber that calls `handler` for each message, in order, on its I/O thread
    /// (the handler must not block; `messages` is then empty and finished).
    public init(configuration: RedisConfiguration, handler: @escaping @Sendable (RedisPubSubMessage) -> Void) {
        self.configuration = configuration
        let (stream, continuation) = AsyncStream.makeStream(of: RedisPubSubMessage.self)
        continuation.finish()
        messages = stream
        drops = RedisDropCounter()
        driver = RedisDriver(configuration: configuration, session: SubscriberSession(sink: .handler(handler), commandTimeout: configuration.commandTimeout))
        driver.start()
    }

    /// Creates a subscriber delivering to `messages` and waits for its first connection; throws
    /// (and closes it) if that first attempt fails.
    public static func connect(_ configuration: RedisConfiguration, bufferLimit: Int = 100_000) async throws(RedisError) -> RedisSubscriber {
        let subscriber = RedisSubscriber(configuration: configuration, bufferLimit: bufferLimit)
        if case let .failure(error) = await subscriber.driver.firstOutcome() {
            subscriber.close()
            throw error
        }
        return subscriber
    }

    deinit { driver.close() }

    /// The current state; `.connected` means every wanted subscription is active.
    public var state: RedisConnectionState { driver.connectionState }

    /// State changes, starting with the current state, ending after `.closed`.
    public func stateChanges() -> AsyncStream<RedisConnectionState> { driver.stateChanges() }

    /// Messages dropped because the `messages` reader fell behind by more than `bufferLimit`.
    public var droppedMessageCount: Int { drops.value }

    /// The channels this subscriber wants (whether or not the connection is up).
    public var channels: Set<String> { driver.submit { session, _, _ in session.channels } }

    /// The patterns this subscriber wants (whether or not the connection is up).
    public var patterns: Set<String> { driver.submit { session, _, _ in session.patterns } }

    /// Closes the connection; `messages` finishes and pending calls fail with `.closed`.
    public func close() { driver.close() }

    /// Subscribes to `channels` and waits for the server's confirmation. While disconnected the
    /// channels are still recorded (and subscribed on reconnect), and this throws `.notConnected`.
    public func subscribe(_ channels: [String]) async throws(RedisError) {
        try await request(.subscribe, channels)
    }

    /// Unsubscribes from `channels`. While disconnected this only forgets them and returns.
    public func unsubscribe(_ channels: [String]) async throws(RedisError) {
        try await request(.unsubscribe, channels)
    }

    /// Subscribes to glob-style `patterns` (`news.*`); see `subscribe(_:)`.
    public func psubscribe(_ patterns: [String]) async throws(RedisError) {
        try await request(.psubscribe, patterns)
    }

    /// Unsubscribes from `patterns`; see `unsubscribe(_:)`.
    public func punsubscribe(_ patterns: [String]) async throws(RedisError) {
        try await request(.punsubscribe, patterns)
    }

    private func request(_ kind: SubscriberSession.Kind, _ names: [String]) async throws(RedisError) {
        var seen: Set<String> = []
        let unique = names.filter { seen.insert($0).inserted }
        guard !unique.isEmpty else { return }
        let result = await withCheckedContinuation { (continuation: SubscriberSession.OpContinuation) in
            let immediate: Result<Void, RedisError>? = driver.submit { session, output, availability in
                if availability == .closed { return .failure(.closed) }
                let connected = if case .ready = availability { true } else { false }
                if session.request(kind, unique, continuation: continuation, connected: connected, output: &output) { return nil }
                return kind == .subscribe || kind == .psubscribe ? .failure(.notConnected) : .success(())
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
        try result.get()
    }
}

/// Counts messages the stream dropped.
final class RedisDropCounter: Sendable {
    private let count = Atomic<Int>(0)
    func increment() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
