import Synchronization
import WSKit
import WSKitRedis

/// Presence shared by every demo process on one Redis (`--redis`): a hash per room,
/// `wskit-demo:presence:<room>`, of user id → `instance\tname`. Each process keeps a
/// `wskit-demo:instance:<id>` key alive (TTL 15 s, refreshed every 5 s), so the members of a
/// process that died without cleaning up drop out of the list within 15 s.
public final class RedisPresence: ChatPresence {
    /// The key prefix.
    public static let prefix = "wskit-demo"
    /// This process's id in presence entries.
    public let instanceId = UUIDv7.make()

    private let commands: RedisConnection
    private let keepAlive = Mutex<Task<Void, Never>?>(nil)
    private static let instanceTTLMs = 15_000

    private init(commands: RedisConnection) {
        self.commands = commands
    }

    /// Connects to Redis and starts the instance keep-alive; throws when Redis is unreachable.
    public static func connect(_ configuration: RedisConfiguration) async throws -> RedisPresence {
        let presence = RedisPresence(commands: try await RedisConnection.connect(configuration))
        try await presence.refreshInstance()
        presence.keepAlive.withLock { task in
            task = Task { [weak presence] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(instanceTTLMs / 3))
                    try? await presence?.refreshInstance()
                }
            }
        }
        return presence
    }

    /// Records the member in the room's hash.
    public func add(_ member: RoomMember, to room: String) async {
        _ = try? await commands.send([
            "HSET", .init(Self.presenceKey(room)), .init(member.userId), .init(instanceId + "\t" + member.displayName),
        ])
    }

    /// Removes the member from the room's hash.
    public func remove(_ member: RoomMember, from room: String) async {
        _ = try? await commands.send(["HDEL", .init(Self.presenceKey(room)), .init(member.userId)])
    }

    /// Everyone in the room on every live process (entries of dead processes are removed).
    public func members(of room: String) async throws -> [RoomMember] {
        let key = Self.presenceKey(room)
        var entries: [(userId: String, instance: String, name: String)] = []
        for (field, value) in Self.pairs(try await commands.send(["HGETALL", .init(key)])) {
            let parts = value.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            entries.append((field, String(parts[0]), String(parts[1])))
        }
        let instances = Array(Set(entries.map(\.instance)).subtracting([instanceId]))
        var live: Set<String> = [instanceId]
        if !instances.isEmpty {
            let replies = try await commands.pipeline(instances.map { ["EXISTS", .init(Self.instanceKey($0))] })
            for (instance, reply) in zip(instances, replies) {
                if case .success(.integer(let count)) = reply, count > 0 { live.insert(instance) }
            }
        }
        let dead = entries.filter { !live.contains($0.instance) }.map { RedisArgument($0.userId) }
        if !dead.isEmpty { _ = try? await commands.send(["HDEL", .init(key)] + dead) }
        return entries.filter { live.contains($0.instance) }.map { RoomMember(userId: $0.userId, displayName: $0.name) }
    }

    /// Stops the keep-alive, removes this process's instance key and closes the connection.
    public func shutdown() async {
        keepAlive.withLock { $0?.cancel() }
        _ = try? await commands.send(["DEL", .init(Self.instanceKey(instanceId))])
        commands.close()
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
