import Glibc
import Synchronization
import Testing
import WSKitLiveFixtures
import WSKitPubSub
import WSKitTesting

/// Chaos with a real `redis-server` (issue 18): Redis killed (SIGKILL) and restarted while one
/// instance publishes steadily to a topic another instance's client subscribes to. Every publish
/// must end in one of three reported outcomes — acknowledged by Redis as reaching the other
/// instance, acknowledged as reaching none (its subscription was being restored: Redis pub/sub
/// keeps nothing), or failed with an error — and every publish acknowledged as reaching the other
/// instance must arrive there: nothing is lost without being reported.
///
/// `WSKIT_CHAOS_SECONDS` (default 1) stretches each phase for the figures in docs/reliability.md.
@Suite(.serialized) struct RedisChaosTests {
    /// What the publisher was told about each publish.
    struct Outcomes: Sendable {
        var reached: [Int] = []
        var reachedNone: [Int] = []
        var failed: [Int] = []
        var total: Int { reached.count + reachedNone.count + failed.count }
    }

    @Test("Redis killed and restarted under publish load: every publish is delivered or reported failed")
    func killAndRestartUnderPublishLoad() async throws {
        let phase = Double(getenv("WSKIT_CHAOS_SECONDS").flatMap { Double(String(cString: $0)) } ?? 1)
        let redis = try await RedisServerProcess()
        let a = try await RedisAdapterTests.instance(redis)
        let b = try await RedisAdapterTests.instance(redis)
        let onB = await b.connect(data: Member())
        try await onB.connection.topics.subscribe("load")
        let pubsub = a.runtime.pubsub
        let stop = Atomic<Bool>(false)
        let killedAt = Atomic<Int>(-1)
        let sent = Atomic<Int>(0)

        let publisher = Task {
            var outcomes = Outcomes()
            var n = 0
            while !stop.load(ordering: .relaxed) {
                let result = await pubsub.publish(raw: Array("\(n)".utf8), binary: false, to: "load")
                if result.error != nil {
                    outcomes.failed.append(n)
                } else if (result.receipt?.instancesReached ?? 0) >= 1 {
                    outcomes.reached.append(n)
                } else {
                    outcomes.reachedNone.append(n)
                }
                n += 1
                sent.store(n, ordering: .relaxed)
                try? await Task.sleep(for: .milliseconds(1))
            }
            return outcomes
        }
        try await Task.sleep(for: .seconds(phase))
        killedAt.store(sent.load(ordering: .relaxed), ordering: .relaxed)
        redis.kill()
        try await Task.sleep(for: .seconds(phase / 2))
        try await redis.start()
        #expect(await a.runtime.pubsub.ready(timeout: .seconds(10)))
        #expect(await b.runtime.pubsub.ready(timeout: .seconds(10)))
        try await Task.sleep(for: .seconds(phase))
        stop.store(true, ordering: .relaxed)
        let outcomes = await publisher.value

        let expected = Set(outcomes.reached)
        #expect(await eventually(interval: .milliseconds(10)) { Set(onB.frames.map { Int($0.text) ?? -1 }).isSuperset(of: expected) })
        let delivered = onB.frames.compactMap { Int($0.text) }
        let deliveredSet = Set(delivered)
        let lost = expected.subtracting(deliveredSet)
        #expect(lost.isEmpty, "acknowledged as reaching the subscriber's instance but never delivered: \(lost.sorted().prefix(20))")
        #expect(outcomes.total == sent.load(ordering: .relaxed))
        #expect(delivered.count == deliveredSet.count, "duplicates")
        #expect(deliveredSet.isSubset(of: Set(0 ..< outcomes.total)))
        // The chaos took effect, and publishing recovered after it.
        #expect(!outcomes.failed.isEmpty)
        #expect(outcomes.reached.contains { $0 > (outcomes.failed.last ?? .max) })
        let failedButDelivered = Set(outcomes.failed).intersection(deliveredSet).count
        print("""
            redis-chaos: publishes \(outcomes.total) (kill after \(killedAt.load(ordering: .relaxed))), \
            acknowledged and delivered \(outcomes.reached.count), acknowledged reaching no instance \(outcomes.reachedNone.count), \
            failed \(outcomes.failed.count) (of which delivered anyway \(failedButDelivered)), \
            delivered \(delivered.count), lost unreported \(lost.count)
            """)
        try await RedisAdapterTests.finish(a, b)
    }
}
