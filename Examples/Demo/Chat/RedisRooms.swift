import Synchronization
import WSKit
import WSKitRedis

/// Rooms shared by every demo process on one Redis (`--redis`).
///
/// - **Pushes** go through Redis pub/sub: one `PUBLISH wskit-demo:room:<room>` per push; every
///   process (the sender's included) receives it on its `PSUBSCRIBE wskit-demo:room:*` connection
///   and delivers it to its own members of the room (``LocalRooms``). While Redis is down, pushes
///   reach this process's members only.
/// - **Presence** is a hash per room, `wskit-demo:presence:<room>`, of user id → `instance\tname`.
///   Each process keeps a `wskit-demo:instance:<id>` key alive (TTL 15 s, refreshed every 5 s), so
///   members of a process that died without cleaning up disappear from the list within 15 s.
public final class RedisRooms: ChatRooms {
    /// The key and channel prefix.
    public static let prefix = "wskit-demo"
    /// This process's id in presence entries.
    public let instanceId = UUIDv7.make()

    private let local = LocalRooms()
    private let commands: RedisConnection
    private let subscriber: RedisSubscriber
    private let keepAlive = Mutex<Task<Void, Never>?>(nil)

    private static let channelPrefix = prefix + ":room:"
    private static let instanceTTLMs = 15_000

    private init(commands: RedisConnection, subscriber: RedisSubscriber) {
        self.commands = commands
        self.subscriber = subscriber
    }

    /// Connects to Redis (`redis://…`), subscribes to every room's channel, and starts the
    /// instance keep-alive. Throws when Redis cannot be reached.
    public static func connect(url: String) async throws -> RedisRooms {
        let configuration = try RedisConfiguration(url: url)
        let commands = try await RedisConnection.connect(configuration)
        let inbox = Inbox()
        let subscriber = RedisSubscriber(configuration: configuration) { message in inbox.deliver(message) }
        let rooms = RedisRooms(commands: commands, subscriber: subscriber)
        inbox.rooms.withLock { $0 = rooms }
        // The subscriber connects in the background; a pattern asked for before that is
        // recorded but reported as not connected, so wait until it is confirmed.
        var attempts = 0
        while true {
            do {
                try await subscriber.psubscribe([channelPrefix + "*"])
                break
            } catch {
                attempts += 1
                if attempts >= 100 {
                    subscriber.close()
                    commands.close()
                    throw error
                }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        try await rooms.refreshInstance()
        rooms.keepAlive.withLock { task in
            task = Task { [weak rooms] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(instanceTTLMs / 3))
                    try? await rooms?.refreshInstance()
                }
            }
        }
        return rooms
    }

    /// Routes subscriber messages to the rooms object once it exists.
    private final class Inbox: Sendable {
        let rooms = Mutex<RedisRooms?>(nil)
        func deliver(_ message: RedisPubSubMessage) {
            rooms.withLock { $0 }?.receive(message)
        }
    }

    // MARK: ChatRooms

    /// Joins locally and records the member in the room's presence hash.
    public func join(room: String, member: RoomMember, connection: ConnectionCore) async {
        await local.join(room: room, member: member, connection: connection)
        _ = try? await commands.send(["HSET", .init(Self.presenceKey(room)), .init(member.userId), .init(instanceId + "\t" + member.displayName)])
    }

    /// Leaves locally and removes the member from the presence hash.
    public func leave(room: String, member: RoomMember) async {
        await local.leave(room: room, member: member)
        _ = try? await commands.send(["HDEL", .init(Self.presenceKey(room)), .init(member.userId)])
    }

    /// Everyone in the room on every live process.
    public func members(of room: String) async throws -> [RoomMember] {
        let key = Self.presenceKey(room)
        var entries: [(userId: String, instance: String, name: String)] = []
        for (field, value) in Self.pairs(try await commands.send(["HGETALL", .init(key)])) {
            let parts = value.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            entries.append((field, String(parts[0]), String(parts[1])))
        }
        let instances = Array(Set(entries.map(\.instance)))
        let alive = try await commands.pipeline(instances.map { ["EXISTS", .init(Self.instanceKey($0))] })
        var live = Set<String>()
        for (instance, result) in zip(instances, alive) {
            if case .success(.integer(let count)) = result, count > 0 { live.insert(instance) }
        }
        live.insert(instanceId)
        let dead = entries.filter { !live.contains($0.instance) }.map { RedisArgument($0.userId) }
        if !dead.isEmpty { _ = try? await commands.send(["HDEL", .init(key)] + dead) }
        return entries.filter { live.contains($0.instance) }.map { RoomMember(userId: $0.userId, displayName: $0.name) }
    }

    /// Publishes through Redis; every process delivers to its own members. Falls back to this
    /// process's members while Redis is unreachable.
    public func publish(room: String, type: String, payload: JSONValue?, excluding: String?) async {
        var message: JSONObject = ["type": .string(type)]
        if let payload { message["payload"] = payload }
        if let excluding { message["exclude"] = .string(excluding) }
        do {
            _ = try await commands.publish(.init(JSON.serialize(.object(message))), to: Self.channelPrefix + room)
        } catch {
            local.deliver(room: room, type: type, payload: payload, excluding: excluding)
        }
    }

    /// Stops the keep-alive, removes this process's instance key and closes both connections.
    public func shutdown() async {
        keepAlive.withLock { $0?.cancel() }
        _ = try? await commands.send(["DEL", .init(Self.instanceKey(instanceId))])
        subscriber.close()
        commands.close()
    }

    // MARK: Internals

    private func receive(_ message: RedisPubSubMessage) {
        guard message.channel.hasPrefix(Self.channelPrefix),
              let value = try? JSON.parse(message.payload), let type = value["type"]?.stringValue else { return }
        let room = String(message.channel.dropFirst(Self.channelPrefix.count))
        local.deliver(room: room, type: type, payload: value["payload"], excluding: value["exclude"]?.stringValue)
    }

    private func refreshInstance() async throws {
        _ = try await commands.send(["SET", .init(Self.instanceKey(instanceId)), "1", "PX", .init(Self.instanceTTLMs)])
    }

    static func presenceKey(_ room: String) -> String { prefix + ":presence:" + room }
    static func instanceKey(_ id: String) -> String { prefix + ":instance:" + id }

    /// Field–value pairs of an `HGETALL` reply (a RESP3 map or a RESP2 flat array).
    static func pairs(_ reply: RedisValue) -> [(String, String)] {
        switch reply {
        case .map(let entries):
            return entries.compactMap { entry in entry.key.string.flatMap { key in entry.value.string.map { (key, $0) } } }
        case .array(let items):
            var pairs: [(String, String)] = []
            var index = 0
            while index + 1 < items.count {
                if let key = items[index].string, let value = items[index + 1].string { pairs.append((key, value)) }
                index += 2
            }
            return pairs
        default:
            return []
        }
    }
}
