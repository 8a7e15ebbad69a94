import Synchronization
import WSKitPubSub
import WSKitRedis

/// A minimal Redis adapter for the pub/sub plugin, used by `--redis` until `WSKitPubSubRedis`'s
/// `RedisPubSubAdapter` is available: `PUBLISH <prefix><topic>` with ``PubSubMessage/encoded()``,
/// one `PSUBSCRIBE <prefix>*` for every topic, no loopback (the hub delivers locally; messages this
/// instance published are skipped when Redis brings them back, by their `origin`).
///
/// Simpler than a real adapter: every instance receives every room's messages (no per-topic
/// interest), and publishes fail at once while Redis is unreachable.
public final class RedisBridgeAdapter: PubSubAdapter {
    /// Prepended to every topic to form its channel.
    public let channelPrefix: String
    /// This instance's origin tag.
    public let origin = "demo-" + String(UInt64.random(in: 0 ... .max), radix: 36)

    private let commands: RedisConnection
    private let subscriber: RedisSubscriber
    private let ingress = Mutex<PubSubIngress?>(nil)

    /// Creates the adapter; connections start in the background (``ready(timeoutMs:)`` waits).
    public init(configuration: RedisConfiguration, channelPrefix: String) {
        self.channelPrefix = channelPrefix
        commands = RedisConnection(configuration: configuration)
        let relay = Relay()
        subscriber = RedisSubscriber(configuration: configuration) { message in relay.receive(message) }
        relay.target.withLock { $0 = { [weak self] message in self?.receive(message) } }
    }

    /// Forwards subscriber messages to the adapter once it exists.
    private final class Relay: Sendable {
        let target = Mutex<(@Sendable (RedisPubSubMessage) -> Void)?>(nil)
        func receive(_ message: RedisPubSubMessage) { target.withLock { $0 }?(message) }
    }

    /// `"redis-bridge"`.
    public var name: String { "redis-bridge" }
    /// The hub delivers local messages itself.
    public var loopsBack: Bool { false }

    /// Keeps the ingress (the pattern subscription is made by ``ready(timeoutMs:)``).
    public func attach(_ ingress: PubSubIngress) throws(PubSubAdapterError) {
        self.ingress.withLock { $0 = ingress }
    }

    /// Every topic is already subscribed (one pattern).
    public func updateInterest(subscribe: [String], unsubscribe: [String]) {}

    /// Confirmed by the pattern subscription.
    public func confirmInterest(_ topics: [String]) async -> Result<Void, PubSubAdapterError> { .success(()) }

    /// `PUBLISH`, awaiting Redis' reply.
    public func publish(_ message: PubSubMessage) async -> Result<PubSubAcknowledgement, PubSubAdapterError> {
        var tagged = message
        tagged.origin = origin
        do {
            let reached = try await commands.publish(.bytes(tagged.encoded()), to: channelPrefix + message.topic)
            return .success(PubSubAcknowledgement(instancesReached: reached))
        } catch {
            return .failure(PubSubAdapterError(.unavailable, adapter: name, "PUBLISH failed: \(error)"))
        }
    }

    /// `PUBLISH` without waiting.
    public func post(_ message: PubSubMessage) -> Result<Void, PubSubAdapterError> {
        guard isAvailable else { return .failure(PubSubAdapterError(.unavailable, adapter: name, "Redis is not connected")) }
        Task { _ = await publish(message) }
        return .success(())
    }

    /// Whether both connections are up.
    public var isAvailable: Bool {
        if case .connected = commands.state, case .connected = subscriber.state { return true }
        return false
    }

    /// Waits for both connections and the pattern subscription.
    public func ready(timeoutMs: Int) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(timeoutMs)
        while ContinuousClock.now < deadline {
            if (try? await subscriber.psubscribe([channelPrefix + "*"])) != nil, isAvailable { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Closes both connections.
    public func shutdown() async {
        subscriber.close()
        commands.close()
    }

    private func receive(_ message: RedisPubSubMessage) {
        guard message.channel.hasPrefix(channelPrefix) else { return }
        let topic = String(message.channel.dropFirst(channelPrefix.count))
        guard let decoded = PubSubMessage(decoding: message.payload, topic: topic), decoded.origin != origin else { return }
        ingress.withLock { $0 }?.deliver(decoded)
    }
}
