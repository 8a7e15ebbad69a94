import CWSKitBenchSupport
import Synchronization
import WSKitBenchCore
import WSKit
import WSKitBenchRouter
import WSKitContract
import WSKitPubSub
import WSKitRouter

/// Micro benchmarks of pub/sub bookkeeping and fan-out (in process, the in-memory adapter, a
/// transport that takes encoded frames inline): one publish to 1,000 subscribers, subscribe +
/// unsubscribe, and heap bytes per subscription.
enum PubSubBenchmarks {
    struct Plugins: PubSubInstalled {
        var pubsub = PubSubPlugin()
    }

    /// The same with every topic a stream (history of 1,000).
    struct StreamPlugins: PubSubInstalled {
        var pubsub = PubSubPlugin(history: [HistoryRule(prefix: "", size: 1_000)])
    }

    /// Counts the frames fan-out hands it; no event loop, so deliveries happen inline.
    final class FrameCounter: EncodedFrameTransport {
        let frames = Atomic<Int>(0)
        var deliveryLoop: (any DeliveryLoop)? { nil }
        var frameEncoder: any FrameEncoder { ServerFrameEncoder() }
        func sendEncodedFrames(_ frames: UnsafeRawBufferPointer) -> SendResult {
            self.frames.add(1, ordering: .relaxed)
            return .sent
        }
        func send(text bytes: UnsafeRawBufferPointer) -> SendResult {
            frames.add(1, ordering: .relaxed)
            return .sent
        }
        func close(code: UInt16, reason: String) {}
    }

    static func open(_ count: Int) -> (RouterRuntime<Void, Plugins>, [RouterConnection<Void, Plugins>], FrameCounter) {
        let runtime = try! Router<Void, Plugins>().build(plugins: Plugins())
        let transport = FrameCounter()
        let connections = (0 ..< count).map { _ in runtime.open(transport, data: ()) }
        return (runtime, connections, transport)
    }

    static func all() -> [MicroBenchmark] {
        [
            MicroBenchmark(name: "pubsub.publish1000", title: "pub/sub: publish to 1,000 subscribers (typed, inline)") {
                let (runtime, connections, transport) = open(1000)
                for connection in connections { _ = try! await connection.topics.subscribe("bench") }
                let pubsub = runtime.pubsub
                return { n in
                    let before = transport.frames.load(ordering: .relaxed)
                    for _ in 0 ..< n { _ = pubsub.publishNow(ChatAck.self, .init(roomId: "room-1", length: 12), to: "bench") }
                    let delivered = transport.frames.load(ordering: .relaxed) - before
                    if delivered != n * 1000 { fatalError("pubsub.publish1000: \(delivered) deliveries for \(n) publishes") }
                }
            },
            MicroBenchmark(name: "pubsub.publish1000.history", title: "pub/sub: publish to 1,000 subscribers, topic with history") {
                let runtime = try! Router<Void, StreamPlugins>().build(plugins: StreamPlugins())
                let transport = FrameCounter()
                let connections = (0 ..< 1000).map { _ in runtime.open(transport, data: ()) }
                for connection in connections { _ = try! await connection.topics.subscribe("bench") }
                let pubsub = runtime.pubsub
                return { n in
                    let before = transport.frames.load(ordering: .relaxed)
                    for _ in 0 ..< n { _ = pubsub.publishNow(ChatAck.self, .init(roomId: "room-1", length: 12), to: "bench") }
                    let delivered = transport.frames.load(ordering: .relaxed) - before
                    if delivered != n * 1000 { fatalError("pubsub.publish1000.history: \(delivered) deliveries for \(n) publishes") }
                    withExtendedLifetime(connections) {}
                }
            },
            MicroBenchmark(name: "pubsub.subscribe", title: "pub/sub: subscribe + unsubscribe one topic") {
                let (_, connections, _) = open(1)
                let topics = connections[0].topics
                return { n in
                    for _ in 0 ..< n {
                        let added = (try? await topics.subscribe("room-1")) ?? false
                        let removed = topics.unsubscribe("room-1")
                        if !added || !removed { fatalError("pubsub.subscribe: not idempotent as expected") }
                    }
                }
            },
        ]
    }

    /// Heap bytes per subscription (glibc's heap in use before and after 1,000 connections
    /// subscribe to 10 topics each).
    static func memoryEntry() async -> BenchEntry {
        let (_, connections, _) = open(1000)
        let topics = (0 ..< 10).map { "room-\($0)" }
        let before = cwskit_bench_heap_in_use()
        for connection in connections { _ = try? await connection.topics.subscribe(topics) }
        let after = cwskit_bench_heap_in_use()
        let perSubscription = Double(Int(after) - Int(before)) / Double(connections.count * topics.count)
        withExtendedLifetime(connections) {}
        return BenchEntry(key: "micro.pubsub.memory", group: "micro", title: "pub/sub: heap bytes per subscription (10,000)",
                          server: "wskit", metrics: [Metric(name: "bytes_per_subscription", value: perSubscription)])
    }
}
