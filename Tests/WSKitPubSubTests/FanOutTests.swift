import Synchronization
import Testing
import WSKit
import WSKitContract
import WSKitPubSub
import WSKitRouter

/// The fan-out mechanics with hand-driven event loops: one hop per loop (not per subscriber), the
/// same bytes for everybody, inline delivery on the publisher's loop, FIFO per loop, a bounded
/// queue.
@Suite struct FanOutTests {
    /// An event loop whose work runs only when the test says so.
    final class ManualLoop: DeliveryLoop, @unchecked Sendable {
        private let state = Mutex<(work: [@Sendable () -> Void], executes: Int, current: Bool)>(([], 0, false))

        var inEventLoop: Bool { state.withLock { $0.current } }

        func execute(_ work: @escaping @Sendable () -> Void) {
            state.withLock {
                $0.work.append(work)
                $0.executes += 1
            }
        }

        /// How many times fan-out asked to run work here.
        var executes: Int { state.withLock { $0.executes } }

        /// Runs queued work "on the loop".
        func run() {
            while true {
                let work = state.withLock { state -> [@Sendable () -> Void] in
                    defer { state.work = [] }
                    state.current = true
                    return state.work
                }
                if work.isEmpty { break }
                for item in work { item() }
            }
            state.withLock { $0.current = false }
        }

        /// Runs `body` as if on this loop's thread.
        func onLoop<R>(_ body: () -> R) -> R {
            state.withLock { $0.current = true }
            defer { state.withLock { $0.current = false } }
            return body()
        }
    }

    /// A connection owned by a manual loop, recording the encoded frames it is handed.
    final class LoopTransport: EncodedFrameTransport, @unchecked Sendable {
        let loop: ManualLoop
        private let received = Mutex<[[UInt8]]>([])

        init(loop: ManualLoop) { self.loop = loop }

        var deliveryLoop: (any DeliveryLoop)? { loop }
        var frameEncoder: any FrameEncoder { ServerFrameEncoder() }
        var frames: [[UInt8]] { received.withLock { $0 } }

        func sendEncodedFrames(_ frames: UnsafeRawBufferPointer) -> SendResult {
            received.withLock { $0.append(Array(frames)) }
            return .sent
        }

        func send(text bytes: UnsafeRawBufferPointer) -> SendResult {
            Issue.record("fan-out must use encoded frames when the transport offers them")
            return .dropped
        }

        func close(code: UInt16, reason: String) {}
    }

    struct Plugins: PubSubInstalled { var pubsub: PubSubPlugin }

    func setUp(loops: Int, perLoop: Int, plugin: PubSubPlugin = PubSubPlugin()) async throws
        -> (RouterRuntime<Void, Plugins>, [ManualLoop], [LoopTransport]) {
        let runtime = try Router<Void, Plugins>().build(plugins: Plugins(pubsub: plugin))
        let manualLoops = (0 ..< loops).map { _ in ManualLoop() }
        var transports: [LoopTransport] = []
        for loop in manualLoops {
            for _ in 0 ..< perLoop {
                let transport = LoopTransport(loop: loop)
                let connection = runtime.open(transport, data: ())
                _ = await connection.openDecision
                try await connection.topics.subscribe("t")
                transports.append(transport)
            }
        }
        return (runtime, manualLoops, transports)
    }

    @Test func oneHopPerLoopAndTheSameBytesForEverybody() async throws {
        let (runtime, loops, transports) = try await setUp(loops: 3, perLoop: 10)
        let result = runtime.pubsub.publishNow(ChatLine.self, .init(text: "hi"), to: "t")
        #expect(result.matched == 30)
        #expect(loops.map(\.executes) == [1, 1, 1])
        #expect(transports.allSatisfy { $0.frames.isEmpty })
        for loop in loops { loop.run() }
        let frames = Set(transports.flatMap(\.frames))
        #expect(frames.count == 1)
        let frame = try #require(frames.first)
        #expect(frame[0] == 0x81)   // FIN + text, unmasked
        #expect(String(decoding: frame[2...], as: UTF8.self).hasPrefix(#"{"type":"CHAT","meta":{"timestamp":"#))
        #expect(transports.allSatisfy { $0.frames.count == 1 })
    }

    @Test func manyPublishesBeforeTheLoopRunsStillCostOneHop() async throws {
        let (runtime, loops, transports) = try await setUp(loops: 2, perLoop: 3)
        for n in 0 ..< 50 { runtime.pubsub.publishNow(ChatLine.self, .init(text: "\(n)"), to: "t") }
        #expect(loops.map(\.executes) == [1, 1])
        for loop in loops { loop.run() }
        for transport in transports {
            let texts = transport.frames.map { String(decoding: $0[2...], as: UTF8.self) }
            #expect(texts.count == 50)
            #expect(texts.enumerated().allSatisfy { $0.element.contains(#""text":"\#($0.offset)""#) })
        }
    }

    @Test func aPublishOnTheLoopIsDeliveredInlineUnlessEarlierWorkWaits() async throws {
        let (runtime, loops, transports) = try await setUp(loops: 2, perLoop: 2)
        let loopA = loops[0]
        let onA = transports.filter { $0.loop === loopA }
        loopA.onLoop { _ = runtime.pubsub.publishNow(ChatLine.self, .init(text: "inline"), to: "t") }
        #expect(onA.allSatisfy { $0.frames.count == 1 })
        #expect(loopA.executes == 0)
        #expect(loops[1].executes == 1)
        // Work queued from another thread first: the on-loop publish must not overtake it.
        runtime.pubsub.publishNow(ChatLine.self, .init(text: "first"), to: "t")
        loopA.onLoop { _ = runtime.pubsub.publishNow(ChatLine.self, .init(text: "second"), to: "t") }
        #expect(onA.allSatisfy { $0.frames.count == 1 })
        loopA.run()
        for transport in onA {
            let texts = transport.frames.map { String(decoding: $0[2...], as: UTF8.self) }
            #expect(texts.map { $0.contains("inline") ? 0 : $0.contains("first") ? 1 : 2 } == [0, 1, 2])
        }
        // The other loop gets all three in publish order, from its one hop. (Run it: work left
        // queued on a loop that never runs keeps the loop, mailbox and connections in a cycle.)
        loops[1].run()
        #expect(loops[1].executes == 1)
        for transport in transports where transport.loop !== loopA {
            let texts = transport.frames.map { String(decoding: $0[2...], as: UTF8.self) }
            #expect(texts.map { $0.contains("inline") ? 0 : $0.contains("first") ? 1 : 2 } == [0, 1, 2])
        }
    }

    @Test func theLoopQueueIsBoundedAndOverflowIsCounted() async throws {
        let (runtime, loops, transports) = try await setUp(loops: 1, perLoop: 2, plugin: PubSubPlugin(maxQueuedDeliveriesPerLoop: 2))
        for n in 0 ..< 5 { runtime.pubsub.publishNow(ChatLine.self, .init(text: "\(n)"), to: "t") }
        #expect(runtime.pubsub.statistics.droppedHops == 3)
        loops[0].run()
        #expect(transports.allSatisfy { $0.frames.count == 2 })
        // Once drained, the queue takes work again.
        runtime.pubsub.publishNow(ChatLine.self, .init(text: "later"), to: "t")
        loops[0].run()
        #expect(transports.allSatisfy { $0.frames.count == 3 })
    }
}
