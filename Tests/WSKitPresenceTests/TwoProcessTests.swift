import Glibc
import Synchronization
import Testing
import WSKitContract
import WSKitLiveFixtures
import WSKitPresence
import WSKitRedis

/// Two server processes sharing presence through a real redis-server: one merged list,
/// `kill -9` of one instance makes its users leave on the other within the bound, a user on both
/// goes offline only after both close, a restarted instance leaves no ghosts and no duplicates.
@Suite(.serialized) struct TwoProcessTests {
    /// Short leases so the test waits seconds, not the 20 s default bound.
    static let leaseMs = 1_500
    static let heartbeatMs = 500
    static var boundSeconds: Double { Double(leaseMs + heartbeatMs) / 1_000 }

    /// A started `wskit-presence-node`.
    struct Node {
        let process: ChildProcess
        let port: Int
        let instanceId: String

        init(redisPort: Int, leaseMs: Int = TwoProcessTests.leaseMs, heartbeatMs: Int = TwoProcessTests.heartbeatMs) async throws {
            let executable = try builtExecutable("WSKitPresenceNode")
            process = try ChildProcess(executable, [
                "--port", "0", "--redis-port", "\(redisPort)", "--lease-ms", "\(leaseMs)", "--heartbeat-ms", "\(heartbeatMs)",
            ])
            let line = try await process.waitForLine("READY <port> <id>") { $0.hasPrefix("READY ") }
            let parts = line.split(separator: " ")
            port = try #require(parts.count == 3 ? Int(parts[1]) : nil, "\(line)")
            instanceId = String(parts[2])
        }
    }

    /// A raw WebSocket client tracked in `lobby`, optionally watching its presence with a
    /// client-side model.
    final class Visitor: @unchecked Sendable {
        let client: RawClient
        var model = PresenceModel()
        var events: [PresenceEvent] = []
        var stateMessages = 0

        init(port: Int, user: String, device: String, watch: Bool) throws {
            client = try RawClient.upgraded(
                port: port, path: "/?user=\(user)&device=\(device)&room=lobby&watch=\(watch ? 1 : 0)", timeout: 0.2)
        }

        /// Reads frames into the model until `condition` holds or `timeout` seconds pass.
        func waitFor(timeout: Double = 10, _ condition: @escaping @Sendable (Visitor) -> Bool) async throws -> Bool {
            try await runBlocking { [self] in
                let deadline = monotonicSeconds() + timeout
                while !condition(self), monotonicSeconds() < deadline {
                    guard let frame = try? client.readFrame(), frame.opcode == 0x1 else { continue }
                    let envelope = try Envelope.parse(Array(frame.payload))
                    if envelope.type == PresenceWire.state { stateMessages += 1 }
                    if let applied = try model.apply(envelope) { events += applied }
                }
                return condition(self)
            }
        }

        func close() {
            client.sendFrame(opcode: 0x8, payload: [0x03, 0xE8])
        }

        func devices(_ key: String) -> [String] {
            model.metas(of: key).compactMap { $0.fields["device"]?.stringValue }.sorted()
        }
    }

    /// How many entries the room holds in Redis (every instance's).
    static func entriesInRedis(_ redis: RedisServerProcess) async throws -> Int {
        let connection = try await RedisConnection.connect(RedisConfiguration(port: redis.port))
        defer { connection.close() }
        return Int(try await connection.send(["HLEN", "p:r:lobby"]).int ?? -1)
    }

    @Test func killMinusNineOfOneInstanceRemovesItsUsersWithinTheBoundAndARestartLeavesNoGhosts() async throws {
        let redis = try await RedisServerProcess()
        let east = try await Node(redisPort: redis.port)
        var west = try await Node(redisPort: redis.port)
        defer {
            east.process.terminate()
            west.process.terminate()
        }
        #expect(east.instanceId != west.instanceId)

        let watcher = try Visitor(port: east.port, user: "watcher", device: "web", watch: true)
        let ada = try Visitor(port: east.port, user: "ada", device: "laptop", watch: false)
        let bob = try Visitor(port: west.port, user: "bob", device: "phone", watch: false)
        let carolEast = try Visitor(port: east.port, user: "carol", device: "laptop", watch: false)
        let carolWest = try Visitor(port: west.port, user: "carol", device: "phone", watch: false)
        let westWatcher = try Visitor(port: west.port, user: "watcher2", device: "web", watch: true)
        _ = (ada, carolEast)

        // One merged list on both instances; Carol is one user with two devices.
        let merged: @Sendable (Visitor) -> Bool = { view in
            view.model.users.map(\.key) == ["ada", "bob", "carol", "watcher", "watcher2"] && view.devices("carol") == ["laptop", "phone"]
        }
        #expect(try await watcher.waitFor(merged))
        #expect(try await westWatcher.waitFor(merged))
        #expect(watcher.stateMessages == 1)
        #expect(try await Self.entriesInRedis(redis) == 6)

        // kill -9 of the west instance: Bob and Carol's phone leave on the east within the bound.
        let killedAt = monotonicSeconds()
        west.process.kill()
        let gone = try await watcher.waitFor(timeout: Self.boundSeconds + 5) { view in
            !view.model.isOnline("bob") && view.devices("carol") == ["laptop"] && !view.model.isOnline("watcher2")
        }
        let took = monotonicSeconds() - killedAt
        #expect(gone)
        #expect(took <= Self.boundSeconds + 1.0, "the leaves took \(took) s (bound \(Self.boundSeconds) s)")
        #expect(watcher.events.contains { if case .leave("bob", true, _) = $0 { true } else { false } })
        // Carol lost a device but never went offline.
        #expect(!watcher.events.contains { if case .leave("carol", true, _) = $0 { true } else { false } })
        _ = (bob, carolWest, westWatcher)

        // Restart: a new process, a new instance id; Bob reconnects. No ghosts, no duplicates.
        west = try await Node(redisPort: redis.port)
        let bobAgain = try Visitor(port: west.port, user: "bob", device: "phone", watch: false)
        #expect(try await watcher.waitFor { $0.model.metas(of: "bob").count == 1 })
        try await Task.sleep(for: .milliseconds(Self.leaseMs + Self.heartbeatMs))
        _ = try await watcher.waitFor(timeout: 0.5) { _ in false }
        #expect(watcher.model.users.map(\.key) == ["ada", "bob", "carol", "watcher"])
        #expect(watcher.model.metas(of: "bob").count == 1)
        #expect(watcher.devices("carol") == ["laptop"])
        #expect(try await Self.entriesInRedis(redis) == 4)
        _ = bobAgain
    }

    @Test func aHungInstanceLeavesWithinTheBoundAndComesBackUnderANewIdWithoutDuplicates() async throws {
        let redis = try await RedisServerProcess()
        let east = try await Node(redisPort: redis.port)
        let west = try await Node(redisPort: redis.port)
        defer {
            west.process.signal(SIGCONT)
            east.process.terminate()
            west.process.terminate()
        }
        let watcher = try Visitor(port: east.port, user: "watcher", device: "web", watch: true)
        let bob = try Visitor(port: west.port, user: "bob", device: "phone", watch: false)
        #expect(try await watcher.waitFor { $0.model.isOnline("bob") })
        let firstRef = try #require(watcher.model.metas(of: "bob").first?.ref)

        // SIGSTOP: the west process hangs (its sockets stay open, it renews nothing).
        let stoppedAt = monotonicSeconds()
        west.process.signal(SIGSTOP)
        #expect(try await watcher.waitFor(timeout: Self.boundSeconds + 5) { !$0.model.isOnline("bob") })
        let took = monotonicSeconds() - stoppedAt
        #expect(took <= Self.boundSeconds + 1.0, "the leave took \(took) s (bound \(Self.boundSeconds) s)")

        // SIGCONT: the west instance finds its id dead, re-registers under a new one and writes
        // Bob, whose connection is still open, again: once.
        west.process.signal(SIGCONT)
        #expect(try await watcher.waitFor { $0.model.isOnline("bob") })
        let meta = try #require(watcher.model.metas(of: "bob").first)
        #expect(meta.ref != firstRef)
        #expect(!meta.ref.hasPrefix(west.instanceId + "."))
        _ = try await watcher.waitFor(timeout: Self.boundSeconds) { _ in false }
        #expect(watcher.model.metas(of: "bob").count == 1)
        #expect(try await Self.entriesInRedis(redis) == 2)
        _ = bob
    }

    @Test func aRedisRestartWithoutPersistenceIsRepairedByTheInstances() async throws {
        let redis = try await RedisServerProcess()
        let east = try await Node(redisPort: redis.port)
        let west = try await Node(redisPort: redis.port)
        defer {
            east.process.terminate()
            west.process.terminate()
        }
        let watcher = try Visitor(port: east.port, user: "watcher", device: "web", watch: true)
        let bob = try Visitor(port: west.port, user: "bob", device: "phone", watch: false)
        #expect(try await watcher.waitFor { $0.model.isOnline("bob") && $0.model.isOnline("watcher") })
        #expect(try await Self.entriesInRedis(redis) == 2)

        // Redis restarts empty: each instance notices its entries are gone and writes them
        // again; the watcher gets a fresh state when its instance's subscription is back.
        try await redis.restart()
        #expect(await eventually(timeout: 15) { (try? await Self.entriesInRedis(redis)) == 2 })
        _ = try await watcher.waitFor(timeout: 2) { _ in false }
        #expect(watcher.model.users.map(\.key) == ["bob", "watcher"])
        #expect(watcher.model.metas(of: "bob").count == 1)
        _ = bob
    }

    @Test func aUserOnBothInstancesGoesOfflineOnlyAfterBothClose() async throws {
        let redis = try await RedisServerProcess()
        let east = try await Node(redisPort: redis.port)
        let west = try await Node(redisPort: redis.port)
        defer {
            east.process.terminate()
            west.process.terminate()
        }
        let watcher = try Visitor(port: east.port, user: "watcher", device: "web", watch: true)
        let onEast = try Visitor(port: east.port, user: "ada", device: "laptop", watch: false)
        let onWest = try Visitor(port: west.port, user: "ada", device: "phone", watch: false)
        #expect(try await watcher.waitFor { $0.devices("ada") == ["laptop", "phone"] })

        onWest.close()
        #expect(try await watcher.waitFor { $0.devices("ada") == ["laptop"] })
        #expect(!watcher.events.contains { if case .leave("ada", true, _) = $0 { true } else { false } })
        onEast.close()
        #expect(try await watcher.waitFor { !$0.model.isOnline("ada") })
        #expect(watcher.events.contains { if case .leave("ada", true, _) = $0 { true } else { false } })
        // Came online exactly once.
        #expect(watcher.events.filter { if case .join("ada", true, _) = $0 { true } else { false } }.count == 1)
    }

    @Test func aGracefulStopRemovesTheInstancesUsersAtOnce() async throws {
        let redis = try await RedisServerProcess()
        // A 60 s lease: only the graceful stop can explain a leave within seconds.
        let east = try await Node(redisPort: redis.port, leaseMs: 60_000, heartbeatMs: 5_000)
        let west = try await Node(redisPort: redis.port, leaseMs: 60_000, heartbeatMs: 5_000)
        defer {
            east.process.terminate()
            west.process.terminate()
        }
        let watcher = try Visitor(port: east.port, user: "watcher", device: "web", watch: true)
        let bob = try Visitor(port: west.port, user: "bob", device: "phone", watch: false)
        #expect(try await watcher.waitFor { $0.model.isOnline("bob") })
        let stoppedAt = monotonicSeconds()
        west.process.signal(SIGTERM)
        #expect(try await watcher.waitFor(timeout: 20) { !$0.model.isOnline("bob") })
        #expect(monotonicSeconds() - stoppedAt < 20)
        #expect(try await Self.entriesInRedis(redis) == 1)
        _ = bob
    }
}
