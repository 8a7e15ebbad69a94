import Synchronization
import Testing
import WSKitContract
import WSKitMessaging
import WSKitRPC
import WSKitRouter
import WSKitTestMessages
import WSKitTesting

// Fixtures of the RPC plugin tests (the router tests have their own: the targets test
// different modules).

/// Per-connection data of the test apps.
struct Session: Sendable, Equatable {
    var userId: String?
    var room: String?
    var hits = 0
}

/// Messaging and RPC.
struct AppPlugins: MessagingInstalled, RPCInstalled {
    var messaging = MessagingPlugin()
    var rpc = RPCPlugin()
}

/// A thread-safe list of events, to assert order across handlers, middleware and hooks.
final class EventLog: Sendable {
    private let entries = Mutex<[String]>([])

    func append(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
}

/// A flag set when a handler observes something (cancellation, a run).
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}

/// Calls `GET_USER` on `harness`, whose handler returns without replying, and checks that the
/// caller gets exactly one INTERNAL answer and the router reports the missing reply; then finishes
/// the harness. Shared by the async and inline (fast path) handler tests.
func expectOneInternalAnswerForAMissingReply(
    _ harness: TestHarness<Session, AppPlugins>, sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let client = await harness.connect(data: Session())
    let result = try await client.call(GetUser.self, .init(id: "1"))
    #expect(result.error?.code == .internal, sourceLocation: sourceLocation)
    #expect(result.terminalCount == 1, sourceLocation: sourceLocation)
    #expect(
        harness.errors.map { "\($0.phase) \($0.error)" } == ["handler RPC \"GET_USER\" ended without a reply"],
        sourceLocation: sourceLocation)
    try await harness.finish()
}

/// A transport that records the envelopes sent to it, like a minimal host (no harness).
final class RecordingTransport: RouterTransport {
    let clientId: String? = nil
    private let sent = Mutex<[Envelope?]>([])

    func send(text bytes: UnsafeRawBufferPointer) -> SendResult {
        let envelope = try? Envelope.parse(String(decoding: bytes, as: UTF8.self))
        sent.withLock { $0.append(envelope) }
        return .sent
    }

    func close(code: UInt16, reason: String) {}

    /// The types of the frames sent, in order (`nil` for a frame that is not an envelope).
    var types: [String?] { sent.withLock { $0.map { $0?.type } } }
}
