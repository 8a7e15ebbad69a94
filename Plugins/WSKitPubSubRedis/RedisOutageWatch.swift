import Synchronization
import WSKitPubSub
import WSKitRedis

/// Reports outages and recoveries of an adapter's two connections taken together, once per
/// transition: `.disconnected` when either connection drops while the adapter is not already
/// reported down, `.reconnected` once both are up again (the subscriber being `.connected` only
/// once its subscriptions are restored).
final class RedisOutageWatch: Sendable {
    private let connection: RedisConnection
    private let subscriber: RedisSubscriber
    private let relay: RedisRelay
    /// Whether an outage was reported and not yet its recovery.
    private let down = Mutex(false)

    init(connection: RedisConnection, subscriber: RedisSubscriber, relay: RedisRelay) {
        self.connection = connection
        self.subscriber = subscriber
        self.relay = relay
    }

    /// Follows one connection's state changes until its stream ends.
    func follow(_ changes: AsyncStream<RedisConnectionState>, role: String) async {
        for await change in changes {
            if let event = event(for: change, role: role) { relay.report(event) }
        }
    }

    private func event(for change: RedisConnectionState, role: String) -> PubSubAdapterEvent? {
        down.withLock { down in
            switch change {
            case let .disconnected(error):
                guard !down else { return nil }
                down = true
                return .disconnected(adapter: "redis", reason: "\(role): \(error)")
            case .connected:
                // The live states, read under the lock: a drop of the other connection is either
                // seen here or reported after this.
                guard down, connection.state == .connected, subscriber.state == .connected else { return nil }
                down = false
                return .reconnected(adapter: "redis")
            case .connecting, .closed:
                return nil
            }
        }
    }
}
