import Synchronization
import WSKitContract
import WSKitRouter

/// A fake client connected to a ``TestHarness``: sends typed or raw frames through the same path
/// a server uses, and sees every frame the router sent back.
///
/// Every `send…` settles the harness before returning, so the handlers it triggered have run as
/// far as they can.
public final class TestConnection<ConnectionData: Sendable, Plugins: PluginSet>: Sendable {
    /// The router's side of the connection.
    public let connection: RouterConnection<ConnectionData, Plugins>
    let transport: TestTransport
    let driver: HarnessDriver
    private let nextCorrelation = Atomic<Int>(1)
    private let clientClosed = Atomic<Bool>(false)

    init(connection: RouterConnection<ConnectionData, Plugins>, transport: TestTransport, driver: HarnessDriver) {
        self.connection = connection
        self.transport = transport
        self.driver = driver
    }

    /// The connection's id.
    public var clientId: String { connection.clientId }

    /// The connection's current data.
    public var data: ConnectionData { connection.data }

    /// The outcome of the open hooks (`nil` while they are still waiting).
    public var openDecision: OpenDecision? { connection.currentOpenDecision }

    // MARK: Sending

    /// Sends an `M`, as a client would (`meta` as given; add `correlationId` yourself for RPCs,
    /// or use ``call(_:_:meta:advancingTime:)``).
    public func send<M: Message>(_ type: M.Type, _ payload: M.Payload, meta: JSONObject = [:]) async throws(HarnessError) {
        let json: JSONValue?
        do {
            json = try M.encodePayload(payload, validation: .disabled)
        } catch {
            throw HarnessError.unencodable(type: M.type, String(describing: error))
        }
        await send(Envelope(type: M.type, meta: meta, payload: json))
    }

    /// Sends an `M` without payload.
    public func send<M: Message>(_ type: M.Type, meta: JSONObject = [:]) async where M.Payload == Empty {
        await send(Envelope(type: M.type, meta: meta, payload: nil))
    }

    /// Sends an envelope.
    public func send(_ envelope: Envelope) async {
        await sendText(envelope.serialized())
    }

    /// Sends a raw text frame (malformed JSON, envelope violations…).
    public func sendText(_ text: String) async {
        await sendText(Array(text.utf8))
    }

    /// Sends raw text frame bytes.
    public func sendText(_ bytes: [UInt8]) async {
        bytes.withUnsafeBytes { connection.receive(text: $0) }
        await driver.settle()
    }

    /// Sends a binary frame.
    public func sendBinary(_ bytes: [UInt8]) async {
        bytes.withUnsafeBytes { connection.receive(binary: $0) }
        await driver.settle()
    }

    /// Closes the connection from the client side (the host reports it to the router) and
    /// settles the `onClose` hooks.
    public func close(code: UInt16 = 1000, reason: String = "") async {
        clientClosed.store(true, ordering: .relaxed)
        connection.didClose(code: code, reason: reason)
        await driver.settle()
    }

    /// Makes the transport answer later sends with `result` (`.dropped` also stops recording),
    /// to simulate backpressure or a dead socket.
    public func setSendResult(_ result: SendResult) { transport.setSendResult(result) }

    // MARK: Control frames

    /// Whether this client answers the server's pings with a pong (on by default, like any
    /// WebSocket client). Turn it off to play a peer that silently went away.
    public func setAnswersPings(_ answers: Bool) { transport.setAnswersPings(answers) }

    /// Sends a pong, as a client would after a ping (or unsolicited): peer activity, nothing else.
    public func sendPong() async {
        connection.notePeerActivity()
        await driver.settle()
    }

    /// Sends a ping; the host answers it at the WebSocket layer (no router frame) and counts it
    /// as peer activity.
    public func sendPing() async {
        connection.notePeerActivity()
        await driver.settle()
    }

    /// How many WebSocket ping frames the server sent this connection.
    public var pingsReceived: Int { transport.pings }

    // MARK: Received

    /// Every frame the router sent to this connection, in order.
    public var frames: [TestFrame] { transport.frames }

    /// The frames of type `M`, decoded.
    public func messages<M: Message>(_ type: M.Type) throws(HarnessError) -> [M.Payload] {
        var payloads: [M.Payload] = []
        for frame in frames where frame.type == M.type { payloads.append(try frame.decode(M.self)) }
        return payloads
    }

    /// The errors (`ERROR` and `RPC_ERROR` frames) sent to this connection, in order.
    public var errors: [WireError] { frames.compactMap(\.wireError) }

    /// Forgets the frames received so far.
    public func clearFrames() { transport.clearFrames() }

    /// The close the server asked for, if any.
    public var serverClose: ServerClose? { transport.serverClose }

    /// Whether the connection is closed (by either side).
    public var isClosed: Bool { clientClosed.load(ordering: .relaxed) || connection.isClosed }

    // MARK: RPC

    /// A correlation id unique on this connection: `rpc-1`, `rpc-2`, …
    public func makeCorrelationId() -> String {
        "rpc-\(nextCorrelation.add(1, ordering: .relaxed).oldValue)"
    }

    /// Sends an RPC request and returns once it has settled (reply or `RPC_ERROR`).
    ///
    /// With `advancingTime` (the default), while the call has no terminal answer and timers are
    /// pending, the fake clock jumps to the next timer — as time would pass for a waiting client —
    /// so handlers that sleep and deadlines play out. Throws ``HarnessError/unsettled(correlationId:frames:)``
    /// when nothing is left to run and no answer came: the client would hang.
    public func call<R: RPC>(
        _ type: R.Type, _ payload: R.Payload, meta: JSONObject = [:], advancingTime: Bool = true
    ) async throws(HarnessError) -> RPCResult<R> {
        let pending = try await startCall(R.self, payload, meta: meta)
        while advancingTime, pending.terminalFrames.isEmpty, driver.clock.fireNext() {
            await driver.settle()
        }
        return try pending.result()
    }

    /// Sends an RPC request and returns once the harness settles, answered or not; drive time
    /// and inspect with the returned ``PendingCall``.
    public func startCall<R: RPC>(
        _ type: R.Type, _ payload: R.Payload, meta: JSONObject = [:]
    ) async throws(HarnessError) -> PendingCall<R, ConnectionData, Plugins> {
        let correlationId = meta[MetaKey.correlationId]?.stringValue ?? makeCorrelationId()
        var meta = meta
        meta[MetaKey.correlationId] = .string(correlationId)
        try await send(R.self, payload, meta: meta)
        return PendingCall(correlationId: correlationId, connection: self)
    }

    /// Sends `$ws:abort` for an RPC.
    public func abort(_ correlationId: String) async {
        await send(Envelope(type: ReservedType.abort, meta: [MetaKey.correlationId: .string(correlationId)]))
    }
}
