import Synchronization
import Testing
import WSKit
import WSKitContract
import WSKitPresence
import WSKitRouter

/// Presence diffs take pub/sub's fan-out path (ADR 0063), checked with hand-driven event loops:
/// one hop per loop however many subscribers and diffs, the same frame bytes for everybody,
/// inline on the caller's loop, and the state always before the diffs.
@Suite struct PresenceFanOutTests {
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
        func onLoop<R>(_ body: () async throws -> R) async rethrows -> R {
            state.withLock { $0.current = true }
            defer { state.withLock { $0.current = false } }
            return try await body()
        }
    }

    /// A connection owned by a manual loop: records what it is sent, encoded frames (fan-out) and
    /// text (the state, sent through the router) in one order.
    final class LoopTransport: EncodedFrameTransport, @unchecked Sendable {
        enum Sent: Equatable {
            case frame([UInt8])
            case text(String)
        }

        let loop: ManualLoop
        private let received = Mutex<[Sent]>([])

        init(loop: ManualLoop) { self.loop = loop }

        var deliveryLoop: (any DeliveryLoop)? { loop }
        var frameEncoder: any FrameEncoder { ServerFrameEncoder() }
        var sent: [Sent] { received.withLock { $0 } }
        var frames: [[UInt8]] { sent.compactMap { if case let .frame(bytes) = $0 { bytes } else { nil } } }

        /// Every message as text: a frame's payload, or the text.
        var texts: [String] {
            sent.map {
                switch $0 {
                case let .frame(bytes): PresenceFanOutTests.payload(of: bytes)
                case let .text(text): text
                }
            }
        }

        func sendEncodedFrames(_ frames: UnsafeRawBufferPointer) -> SendResult {
            received.withLock { $0.append(.frame(Array(frames))) }
            return .sent
        }

        func send(text bytes: UnsafeRawBufferPointer) -> SendResult {
            received.withLock { $0.append(.text(String(decoding: bytes, as: UTF8.self))) }
            return .sent
        }

        func close(code: UInt16, reason: String) {}
    }

    struct Plugins: PresenceInstalled { var presence = PresencePlugin() }

    /// `perLoop` subscribers of room `r` on each of `loops` loops, states received.
    func setUp(loops: Int, perLoop: Int) async throws
        -> (RouterRuntime<Void, Plugins>, [ManualLoop], [LoopTransport], [RouterConnection<Void, Plugins>]) {
        let runtime = try Router<Void, Plugins>().build(plugins: Plugins())
        let manualLoops = (0 ..< loops).map { _ in ManualLoop() }
        var transports: [LoopTransport] = []
        var connections: [RouterConnection<Void, Plugins>] = []
        for loop in manualLoops {
            for _ in 0 ..< perLoop {
                let transport = LoopTransport(loop: loop)
                let connection = runtime.open(transport, data: ())
                _ = await connection.openDecision
                _ = try await ConnectionPresence(connection: connection).subscribe("r")
                transports.append(transport)
                connections.append(connection)
            }
        }
        #expect(transports.allSatisfy { $0.texts.count == 1 && $0.texts[0].contains(#""type":"$ws:presence_state""#) })
        return (runtime, manualLoops, transports, connections)
    }

    static let meta: JSONObject = ["name": "Ada"]

    /// The text payload of one unmasked server frame (7- or 16-bit length: these are small).
    static func payload(of frame: [UInt8]) -> String {
        String(decoding: frame[(frame[1] & 0x7F == 126 ? 4 : 2)...], as: UTF8.self)
    }

    @Test func aDiffCostsOneHopPerLoopAndTheSameBytesForEverybody() async throws {
        let (_, loops, transports, connections) = try await setUp(loops: 3, perLoop: 10)
        _ = try await ConnectionPresence(connection: connections[0]).track("r", key: "ada", meta: Self.meta)
        #expect(loops.map(\.executes) == [1, 1, 1])
        #expect(transports.allSatisfy { $0.frames.isEmpty })
        for loop in loops { loop.run() }
        let frames = Set(transports.flatMap(\.frames))
        #expect(frames.count == 1)
        let frame = try #require(frames.first)
        #expect(frame[0] == 0x81)   // FIN + text, unmasked
        let text = Self.payload(of: frame)
        #expect(text.hasPrefix(#"{"type":"$ws:presence_diff","meta":{"topic":"r","timestamp":"#))
        #expect(text.contains(#""payload":{"joins":{"ada":{"metas":[{"name":"Ada","$ref":"#))
        #expect(transports.allSatisfy { $0.frames.count == 1 })
    }

    @Test func manyDiffsBeforeTheLoopRunsStillCostOneHopAndKeepTheirOrder() async throws {
        let (_, loops, transports, connections) = try await setUp(loops: 2, perLoop: 3)
        let presence = ConnectionPresence(connection: connections[0])
        for n in 0 ..< 20 { _ = try await presence.track("r", key: "ada", meta: ["n": .number(Double(n))]) }
        #expect(loops.map(\.executes) == [1, 1])
        for loop in loops { loop.run() }
        for transport in transports {
            let diffs = transport.frames.map(Self.payload(of:))
            #expect(diffs.count == 20)
            #expect(diffs.enumerated().allSatisfy { $0.element.contains(#""joins":{"ada":{"metas":[{"n":\#($0.offset),"#) })
        }
    }

    @Test func aDiffMadeOnTheSubscribersLoopIsDeliveredInline() async throws {
        let (_, loops, transports, connections) = try await setUp(loops: 2, perLoop: 2)
        let loopA = loops[0]
        try await loopA.onLoop {
            _ = try await ConnectionPresence(connection: connections[0]).track("r", key: "ada", meta: Self.meta)
        }
        #expect(transports.filter { $0.loop === loopA }.allSatisfy { $0.frames.count == 1 })
        #expect(loopA.executes == 0)
        #expect(loops[1].executes == 1)
    }

    @Test func aLateSubscriberGetsItsStateBeforeLaterDiffsOnItsLoop() async throws {
        let (runtime, loops, _, connections) = try await setUp(loops: 1, perLoop: 1)
        let presence = ConnectionPresence(connection: connections[0])
        _ = try await presence.track("r", key: "ada", meta: ["n": 0])
        // A diff is still queued for the loop when the late subscriber arrives on it.
        let late = LoopTransport(loop: loops[0])
        let connection = runtime.open(late, data: ())
        _ = await connection.openDecision
        _ = try await ConnectionPresence(connection: connection).subscribe("r")
        _ = try await presence.track("r", key: "ada", meta: ["n": 1])
        loops[0].run()
        let texts = late.texts
        #expect(texts.count == 2)
        #expect(texts.first?.contains(#""type":"$ws:presence_state""#) == true)
        #expect(texts.first?.contains(#"{"n":0,"#) == true)
        #expect(texts.last?.contains(#""joins":{"ada":{"metas":[{"n":1,"#) == true)
    }

    @Test func anUnsubscribedConnectionGetsNoLaterDiff() async throws {
        let (_, loops, transports, connections) = try await setUp(loops: 1, perLoop: 2)
        #expect(ConnectionPresence(connection: connections[1]).unsubscribe("r"))
        _ = try await ConnectionPresence(connection: connections[0]).track("r", key: "ada", meta: Self.meta)
        loops[0].run()
        #expect(transports[0].frames.count == 1)
        #expect(transports[1].frames.isEmpty)
    }
}
