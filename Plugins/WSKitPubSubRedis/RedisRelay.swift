import Synchronization
import WSKitPubSub
import WSKitRedis

/// Between the subscriber connection's I/O thread and the hub: turns channel messages back into
/// ``PubSubMessage``s and hands them to the ingress (in Redis' order), and passes events on.
final class RedisRelay: Sendable {
    let channelPrefix: String
    private let ingress = Mutex<PubSubIngress?>(nil)

    init(channelPrefix: String) {
        self.channelPrefix = channelPrefix
    }

    /// Sets the ingress; `false` when a live one is already set.
    func attach(_ new: PubSubIngress) -> Bool {
        ingress.withLock { ingress in
            if let ingress, ingress.isAlive { return false }
            ingress = new
            return true
        }
    }

    /// A message from Redis: decoded and delivered, or reported and dropped.
    func receive(_ message: RedisPubSubMessage) {
        guard let ingress = ingress.withLock({ $0 }) else { return }
        if message.channel.hasPrefix(channelPrefix), receiveStream(message, ingress: ingress) { return }
        guard message.channel.hasPrefix(channelPrefix),
              let decoded = PubSubMessage(decoding: message.payload, topic: String(message.channel.dropFirst(channelPrefix.count)))
        else {
            ingress.report(.undecodableMessage(adapter: "redis", channel: message.channel))
            return
        }
        ingress.deliver(decoded)
    }

    func report(_ event: PubSubAdapterEvent) {
        ingress.withLock { $0 }?.report(event)
    }

    /// A stream publication (`WSKS<offset> <epoch> <message>`) or sync marker (`WSKY<token>`):
    /// handed over with its position; `false` for anything else.
    private func receiveStream(_ message: RedisPubSubMessage, ingress: PubSubIngress) -> Bool {
        let payload = message.payload
        let topic = String(message.channel.dropFirst(channelPrefix.count))
        if payload.starts(with: RedisStreamScripts.syncMarker) {
            ingress.synced(topic: topic, token: String(decoding: payload.dropFirst(4), as: UTF8.self))
            return true
        }
        guard payload.starts(with: RedisStreamScripts.publicationMarker) else { return false }
        guard let (offsetText, epoch, rest) = RedisStreamScripts.split(payload.dropFirst(4)), let offset = UInt64(offsetText),
              let decoded = PubSubMessage(decoding: rest, topic: topic)
        else {
            ingress.report(.undecodableMessage(adapter: "redis", channel: message.channel))
            return true
        }
        ingress.deliver(decoded, at: StreamPosition(epoch: epoch, offset: offset))
        return true
    }
}
