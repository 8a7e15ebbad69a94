import Synchronization
import Testing
import WSKitContract
import WSKitMessaging
import WSKitRouter
import WSKitTestMessages

/// `onDrain`: the host reports that a connection's backlog is written; the application sends
/// what it held back (flow control).
@Suite struct DrainHookTests {
    /// A transport whose sends report `.buffered` until the test lets it drain.
    final class SlowTransport: RouterTransport {
        private let state = Mutex<(frames: [String], backlogged: Bool)>(([], true))

        func send(text bytes: UnsafeRawBufferPointer) -> SendResult {
            state.withLock { state in
                state.frames.append(String(decoding: bytes, as: UTF8.self))
                return state.backlogged ? .buffered : .sent
            }
        }

        func close(code: UInt16, reason: String) {}

        func writeBacklog() { state.withLock { $0.backlogged = false } }
        var frames: [String] { state.withLock { $0.frames } }
    }

    @Test("onDrain hooks run, in order and with a context that can send, each time the host reports a drain of an open connection")
    func drainRunsHooksWithASendingContext() throws {
        let calls = Mutex<[String]>([])
        let feature = Router<Session, AppPlugins>()
        feature.onDrain { ctx in calls.withLock { $0.append("feature \(ctx.clientId)") } }
        let router = Router<Session, AppPlugins>()
        router.onDrain { ctx in
            calls.withLock { $0.append("app \(ctx.clientId)") }
            ctx.send(Notice.self, Notice.Payload(text: "caught up"))
        }
        try router.merge(feature)
        let runtime = try router.build(plugins: AppPlugins())
        let transport = SlowTransport()
        let connection = runtime.open(transport, data: Session())
        #expect(connection.currentOpenDecision == .accepted)

        #expect(ConnectionContext(connection).send(Notice.self, Notice.Payload(text: "first")) == .buffered)
        transport.writeBacklog()
        connection.didDrain()
        #expect(calls.withLock { $0 } == ["app \(connection.clientId)", "feature \(connection.clientId)"])
        #expect(transport.frames.count == 2)
        #expect(transport.frames.last?.contains("caught up") == true)

        connection.didClose(code: 1000, reason: "")
        connection.didDrain()
        #expect(calls.withLock { $0.count } == 2, "no drain hooks after the close")
    }
}
