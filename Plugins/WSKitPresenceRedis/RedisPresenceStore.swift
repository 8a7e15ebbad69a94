import Synchronization
import WSKitContract
import WSKitPresence
import WSKitRedis

/// Presence shared by every instance through Redis (ADR 0062, `docs/presence.md`).
///
/// - Each change is one Lua script (``RedisPresenceScripts``): the room's hash, the instance's
///   index and the diff's `PUBLISH` on the room's channel happen atomically, so every instance
///   receives a room's diffs in the order of its changes.
/// - Each instance's entries live under its **lease**, a key with a TTL that the plugin renews
///   every heartbeat. Every instance with presence work sweeps: an instance whose lease key
///   expired (crashed, hung, cut off from Redis) has its entries removed and their leaves
///   published, exactly once, and its id is marked dead, so it can never write again under it
///   (it re-registers under a new id and rewrites its live entries).
/// - An instance subscribes to a room's channel while it has local presence subscribers there.
///   When the subscription connection comes back after an outage, every local subscriber gets a
///   fresh state (diffs may have been lost meanwhile).
///
/// Two Redis connections (commands, subscriber). A store serves one router.
public final class RedisPresenceStore: PresenceStore {
    /// The Redis configuration both connections use.
    public let configuration: RedisConfiguration
    /// Prepended to every key and channel (default `"wskit:presence:"`).
    public let prefix: String
    /// How long the id of an expired instance stays dead (default 1 day): longer than any
    /// instance can hang and come back.
    public let tombstone: Duration

    let connection: RedisConnection
    let subscriber: RedisSubscriber
    private let sink = SinkSlot()
    private let monitor = Mutex<Task<Void, Never>?>(nil)

    /// Creates the store and starts connecting in the background (check with
    /// `runtime.presence.ready()`).
    public init(configuration: RedisConfiguration, prefix: String = "wskit:presence:", tombstone: Duration = .seconds(86_400)) {
        self.configuration = configuration
        self.prefix = prefix
        self.tombstone = tombstone
        connection = RedisConnection(configuration: configuration)
        let sink = sink
        let channelPrefix = prefix + "c:"
        subscriber = RedisSubscriber(configuration: configuration) { message in
            guard message.channel.hasPrefix(channelPrefix), let target = sink.value.withLock({ $0 }) else { return }
            target.deliver(room: String(message.channel.dropFirst(channelPrefix.count)), diff: message.payload)
        }
    }

    deinit {
        monitor.withLock { $0 }?.cancel()
        connection.close()
        subscriber.close()
    }

    /// `"redis"`.
    public var name: String { "redis" }

    /// Connects the hub and starts watching the subscriber connection (a recovery resends
    /// every subscriber's state).
    public func attach(_ sink: PresenceSink) throws(PresenceError) {
        let attached = self.sink.value.withLock { current -> Bool in
            guard current == nil else { return false }
            current = sink
            return true
        }
        guard attached else { throw PresenceError(.closed, "this Redis presence store already serves another router") }
        let changes = subscriber.stateChanges()
        monitor.withLock { monitor in
            monitor = Task {
                var wasDown = false
                for await change in changes {
                    switch change {
                    case .disconnected: wasDown = true
                    case .connected where wasDown:
                        wasDown = false
                        sink.resendState()
                    default: break
                    }
                }
            }
        }
    }

    // MARK: Keys

    private func roomKey(_ room: String) -> RedisArgument { RedisArgument(prefix + "r:" + room) }
    private func indexKey(_ instance: String) -> RedisArgument { RedisArgument(prefix + "i:" + instance) }
    private func leaseKey(_ instance: String) -> RedisArgument { RedisArgument(prefix + "l:" + instance) }
    private func tombstoneKey(_ instance: String) -> RedisArgument { RedisArgument(prefix + "d:" + instance) }
    private var instancesKey: RedisArgument { RedisArgument(prefix + "instances") }
    private func channel(_ room: String) -> String { prefix + "c:" + room }

    /// `<JSON key>\t<meta>`: what a room's hash holds per ref.
    static func value(of record: PresenceRecord) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(record.key.utf8.count + record.meta.count + 3)
        JSON.writeString(record.key, into: &bytes)
        bytes.append(UInt8(ascii: "\t"))
        bytes.append(contentsOf: record.meta)
        return bytes
    }

    static func error(_ error: RedisError) -> PresenceError {
        switch error {
        case .closed: PresenceError(.closed, "the Redis presence store was shut down")
        case .server: PresenceError(.unavailable, "Redis refused a presence script: \(error)")
        default: PresenceError(.unavailable, "Redis is unreachable: \(error)")
        }
    }

    // MARK: PresenceStore

    /// One script: lease check, write, `PUBLISH` of the diff.
    public func join(
        _ record: PresenceRecord, replacing previous: PresenceRecord?, instance: String, lease: Duration, diff: [UInt8]
    ) async throws(PresenceError) {
        let reply: RedisValue
        do {
            reply = try await connection.evaluate(
                RedisPresenceScripts.join,
                keys: [leaseKey(instance), tombstoneKey(instance), instancesKey, roomKey(record.room), indexKey(instance)],
                arguments: [
                    RedisArgument(instance), RedisArgument(lease.wholeMilliseconds), RedisArgument(record.ref),
                    .bytes(Self.value(of: record)), RedisArgument(record.room), RedisArgument(channel(record.room)),
                    .bytes(diff), RedisArgument(previous?.ref ?? ""),
                ])
        } catch {
            throw Self.error(error)
        }
        if reply.int == 0 { throw PresenceError(.leaseLost, "the lease of instance \(instance) expired") }
    }

    /// One script: remove, `PUBLISH` the diff when the entry was there.
    public func leave(_ record: PresenceRecord, instance: String, diff: [UInt8]) async throws(PresenceError) {
        do {
            _ = try await connection.evaluate(
                RedisPresenceScripts.leave, keys: [roomKey(record.room), indexKey(instance)],
                arguments: [RedisArgument(record.ref), RedisArgument(channel(record.room)), .bytes(diff)])
        } catch {
            throw Self.error(error)
        }
    }

    /// `HGETALL` of the room.
    public func list(room: String) async throws(PresenceError) -> [PresenceRecord] {
        let reply: RedisValue
        do {
            reply = try await connection.send(["HGETALL", roomKey(room)])
        } catch {
            throw Self.error(error)
        }
        var pairs: [(RedisValue, RedisValue)] = []
        if case let .map(map) = reply {
            pairs = map.map { ($0.key, $0.value) }
        } else if let items = reply.array {
            var index = 0
            while index + 1 < items.count {
                pairs.append((items[index], items[index + 1]))
                index += 2
            }
        }
        var records: [PresenceRecord] = []
        records.reserveCapacity(pairs.count)
        for (field, value) in pairs {
            guard let ref = field.string, let bytes = value.bytes,
                  let tab = bytes.firstIndex(of: UInt8(ascii: "\t")),
                  let key = (try? JSON.parse(Array(bytes[..<tab])))?.stringValue else { continue }
            records.append(PresenceRecord(room: room, key: key, ref: ref, meta: Array(bytes[(tab + 1)...])))
        }
        return records.sorted { Self.order($0.ref, $1.ref) }
    }

    /// Refs of one instance in creation order (`<id>.<n>`), instances by id.
    static func order(_ a: String, _ b: String) -> Bool {
        guard let dotA = a.lastIndex(of: "."), let dotB = b.lastIndex(of: "."),
              let numberA = Int(a[a.index(after: dotA)...]), let numberB = Int(b[b.index(after: dotB)...]) else { return a < b }
        let idA = a[..<dotA]
        let idB = b[..<dotB]
        return idA == idB ? numberA < numberB : idA < idB
    }

    /// Extends the lease (`SET … PX`), unless the id is dead or its entries are gone (Redis
    /// restarted without persistence).
    public func renew(instance: String, lease: Duration, hasEntries: Bool) async throws(PresenceError) -> Bool {
        do {
            let reply = try await connection.evaluate(
                RedisPresenceScripts.renew, keys: [leaseKey(instance), tombstoneKey(instance), instancesKey, indexKey(instance)],
                arguments: [RedisArgument(instance), RedisArgument(lease.wholeMilliseconds), RedisArgument(hasEntries ? "1" : "0")])
            return reply.int != 0
        } catch {
            throw Self.error(error)
        }
    }

    /// Removes every instance whose lease key expired (one script: exactly once).
    public func sweep() async throws(PresenceError) -> Int {
        try await reap("")
    }

    /// Removes this instance's entries now and marks its id dead.
    public func unregister(instance: String) async throws(PresenceError) {
        _ = try await reap(instance)
    }

    private func reap(_ instance: String) async throws(PresenceError) -> Int {
        do {
            let reply = try await connection.evaluate(
                RedisPresenceScripts.reap, keys: [instancesKey],
                arguments: [RedisArgument(prefix), RedisArgument(tombstone.wholeMilliseconds / 1_000), RedisArgument(instance)])
            return Int(reply.int ?? 0)
        } catch {
            throw Self.error(error)
        }
    }

    /// `SUBSCRIBE`s to the room's channel and waits for Redis' confirmation (at once while
    /// Redis is down: the subscription is restored on reconnect, and a fresh state follows).
    public func watch(room: String) async throws(PresenceError) {
        do {
            try await subscriber.subscribe([channel(room)])
        } catch {
            if case .closed = error { throw Self.error(error) }
        }
    }

    /// `UNSUBSCRIBE`s from the room's channel (queued before this returns).
    public func unwatch(room: String) {
        let channel = channel(room)
        let subscriber = subscriber
        Task.immediate { try? await subscriber.unsubscribe([channel]) }
    }

    /// Whether both connections are up now.
    public var isAvailable: Bool { connection.state == .connected && subscriber.state == .connected }

    /// Waits until both connections are up, checking every 10 ms.
    public func ready(timeout: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while !isAvailable {
            if clock.now >= deadline { return false }
            do { try await Task.sleep(for: .milliseconds(10)) } catch { return isAvailable }
        }
        return true
    }

    /// Closes both connections.
    public func shutdown() async {
        let task = monitor.withLock { monitor -> Task<Void, Never>? in
            defer { monitor = nil }
            return monitor
        }
        connection.close()
        subscriber.close()
        task?.cancel()
        await task?.value
    }
}

/// The hub's sink, shared with the subscriber's message handler (set once, at attach).
final class SinkSlot: Sendable {
    let value = Mutex<PresenceSink?>(nil)
}
