/// One topic's history: its epoch, the last offset given, and the publications kept (oldest
/// first), trimmed by size and TTL. Guarded by its ``StreamStore`` entry's lock.
final class TopicStream: @unchecked Sendable {
    /// One kept publication: the frame body subscribers received (offset included).
    struct Entry {
        let offset: UInt64
        let timeMs: Int64
        let message: PubSubMessage
    }

    let rule: HistoryRule
    let epoch: String
    /// The offset of the last publication (0: none yet).
    private(set) var top: UInt64 = 0
    /// Kept publications, oldest first, from `entries[head]`.
    private var entries: [Entry] = []
    private var head = 0

    /// Subscriptions reading a broker-kept history: publications that arrive meanwhile are held
    /// here, to be merged by offset (``StreamStore/shared``).
    var recovering: [RecoveryBuffer] = []

    init(rule: HistoryRule, epoch: String) {
        self.rule = rule
        self.epoch = epoch
    }

    /// The current position.
    var position: StreamPosition { StreamPosition(epoch: epoch, offset: top) }

    /// Gives `message` the next offset, stamps it (topic, epoch, offset in its meta) and keeps it.
    func append(_ message: PubSubMessage, nowMs: Int64) -> PubSubMessage {
        top &+= 1
        var stamped = message
        stamped.body = StreamStamp.stamp(message.body, topic: message.topic, epoch: epoch, offset: top)
        trim(nowMs: nowMs)
        if entries.count - head >= rule.size { head += 1 }
        entries.append(Entry(offset: top, timeMs: nowMs, message: stamped))
        compact()
        return stamped
    }

    /// The publications after `offset`, or `nil` when they are not all kept (trimmed, expired,
    /// or `offset` is ahead of the stream).
    func publications(after offset: UInt64, nowMs: Int64) -> ArraySlice<Entry>? {
        trim(nowMs: nowMs)
        if offset == top { return [] }
        guard offset < top else { return nil }
        guard head < entries.count, entries[head].offset <= offset &+ 1 else { return nil }
        let first = head + Int(offset &+ 1 - entries[head].offset)
        return entries[first...]
    }

    /// The latest kept publication, if any.
    func latest(nowMs: Int64) -> Entry? {
        trim(nowMs: nowMs)
        return head < entries.count ? entries[entries.count - 1] : nil
    }

    /// Drops publications older than the TTL.
    private func trim(nowMs: Int64) {
        guard let ttl = rule.ttlMs else { return }
        while head < entries.count, nowMs - entries[head].timeMs >= ttl { head += 1 }
        compact()
    }

    /// Releases trimmed slots once they are half the array.
    private func compact() {
        guard head > 16, head * 2 >= entries.count else { return }
        entries.removeFirst(head)
        head = 0
    }
}
