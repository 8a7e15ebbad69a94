import Synchronization
import Testing
import WSKitContract
import WSKitMessaging
import WSKitRPC
import WSKitRouter
import WSKitTestMessages

/// The router hosted the way a real server hosts it — system clock, real threads, no harness —
/// through the `RouterTransport` seam.
@Suite struct HostingTests {
    /// A transport that records frames and reports closes, like a minimal host.
    final class RecordingTransport: RouterTransport {
        let clientId: String?
        private let state = Mutex<(frames: [TestFrameText], closes: [UInt16])>(([], []))
        private let inSend = Atomic<Int>(0)
        let overlaps = Atomic<Int>(0)

        init(clientId: String?) { self.clientId = clientId }

        func send(text bytes: UnsafeRawBufferPointer) -> SendResult {
            // The router promises serial sends per connection.
            if inSend.add(1, ordering: .acquiring).newValue > 1 { overlaps.add(1, ordering: .relaxed) }
            let text = String(decoding: bytes, as: UTF8.self)
            state.withLock { $0.frames.append(TestFrameText(text: text)) }
            inSend.subtract(1, ordering: .releasing)
            return .sent
        }

        func close(code: UInt16, reason: String) { state.withLock { $0.closes.append(code) } }

        var frames: [TestFrameText] { state.withLock { $0.frames } }
    }

    struct TestFrameText: Sendable {
        let text: String
        var envelope: Envelope? { try? Envelope.parse(text) }
    }

    /// Waits (really) until `condition` holds, up to `seconds`. The bound is generous because the
    /// system clock's timers run on the shared cooperative pool, which other tests running in
    /// parallel can keep busy for seconds; a passing test returns as soon as the condition holds.
    static func eventually(_ seconds: Double = 30, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return condition()
    }

    @Test func manyConcurrentRPCsOnRealThreadsEachGetExactlyOneReply() async throws {
        let router = Router<Session, AppPlugins>()
        router.rpc(Work.self) { ctx in
            try await ctx.clock.sleep(for: .milliseconds(ctx.payload.ms))
            ctx.progress(.init(ms: -1))
            ctx.reply(.init(ms: ctx.payload.ms))
        }
        let runtime = try router.build(plugins: AppPlugins())
        let transport = RecordingTransport(clientId: nil)
        let connection = runtime.open(transport, data: Session())
        #expect(connection.currentOpenDecision == .accepted)
        #expect(connection.clientId.count == 36)
        let count = 60
        for index in 0..<count {
            let frame = Envelope(type: "WORK", meta: ["correlationId": .string("c\(index)")], payload: ["ms": .number(Double(index % 7))])
            connection.receive(text: frame.serialized())
        }
        let done = await Self.eventually { transport.frames.filter { $0.envelope?.type == "WORK_DONE" }.count == count }
        #expect(done)
        let envelopes = transport.frames.compactMap(\.envelope)
        for index in 0..<count {
            let correlated = envelopes.filter { $0.correlationId == "c\(index)" }.map(\.type)
            #expect(correlated == ["$ws:rpc-progress", "WORK_DONE"])
        }
        #expect(transport.overlaps.load(ordering: .relaxed) == 0)
        #expect(await Self.eventually { runtime.activeTaskCount == 0 })
    }

    @Test func systemClockDeadlineCancelsTheHandler() async throws {
        let cancelled = Flag()
        // The 30 ms deadline is timed by the system clock, but it only takes effect once the
        // handler runs: under load its task can start later than 30 ms after the receive, and a
        // call whose deadline already passed never runs its handler (nothing to cancel).
        let clock = HandlerStartedClock()
        let router = Router<Session, AppPlugins>()
        router.rpc(Work.self) { ctx in
            clock.handlerStarted()
            do {
                try await ctx.clock.sleep(for: .milliseconds(10_000))
            } catch {
                cancelled.set()
                throw error
            }
            ctx.reply(.init(ms: 0))
        }
        let runtime = try router.build(plugins: AppPlugins(), clock: clock)
        let transport = RecordingTransport(clientId: "host-id")
        let connection = runtime.open(transport, data: Session())
        connection.receive(text: Envelope(type: "WORK", meta: ["correlationId": "d", "timeoutMs": 30], payload: ["ms": 0]).serialized())
        #expect(await Self.eventually { cancelled.isSet && !transport.frames.isEmpty })
        let frame = try #require(transport.frames.first?.envelope)
        #expect(frame.type == "RPC_ERROR")
        #expect(frame.payload?["code"] == "DEADLINE_EXCEEDED")
        #expect(await Self.eventually { runtime.activeTaskCount == 0 })
    }

    /// `SystemClock`, except that a timer firing before `handlerStarted()` has its action held
    /// until then (and dropped if the timer was cancelled meanwhile).
    final class HandlerStartedClock: RouterClock {
        private let system = SystemClock()
        private let state = Mutex<(started: Bool, held: [@Sendable () -> Void])>((false, []))

        var nowMs: Int64 { system.nowMs }

        func schedule(after delay: Duration, _ action: @escaping @Sendable () -> Void) -> RouterTimer {
            let cancelled = Flag()
            let timer = system.schedule(after: delay) { [self] in
                let guarded: @Sendable () -> Void = { if !cancelled.isSet { action() } }
                let runNow = state.withLock { state -> Bool in
                    if !state.started { state.held.append(guarded) }
                    return state.started
                }
                if runNow { guarded() }
            }
            return RouterTimer {
                cancelled.set()
                timer.cancel()
            }
        }

        func handlerStarted() {
            let held = state.withLock { state -> [@Sendable () -> Void] in
                state.started = true
                defer { state.held = [] }
                return state.held
            }
            for action in held { action() }
        }
    }

    @Test func disconnectCancelsHandlersWaitingOnTheSystemClock() async throws {
        let log = EventLog()
        let router = Router<Session, MessagingPlugins>()
        router.on(Ping.self) { ctx in
            do {
                try await ctx.clock.sleep(for: .milliseconds(60_000))
            } catch {
                log.append("cancelled")
            }
        }
        router.onClose { ctx in log.append("closed \(ctx.code)") }
        let runtime = try router.build(plugins: MessagingPlugins())
        let transport = RecordingTransport(clientId: nil)
        let connection = runtime.open(transport, data: Session())
        connection.receive(text: Envelope(type: "PING", payload: ["text": "x"]).serialized())
        #expect(runtime.activeTaskCount == 1)
        connection.didClose(code: 1006, reason: "")
        #expect(await Self.eventually { Set(log.all) == ["cancelled", "closed 1006"] && runtime.activeTaskCount == 0 })
    }

    @Test func uuidV7IdsAreTimeOrderedAndWellFormed() {
        let first = UUIDv7.make(unixMs: 1_700_000_000_000)
        let second = UUIDv7.make(unixMs: 1_700_000_000_001)
        #expect(first < second)
        #expect(first.count == 36)
        let characters = Array(first)
        #expect(characters[14] == "7")
        #expect("89ab".contains(characters[19]))
        #expect(first.hasPrefix("018bcfe5-6800-7"))
    }
}
