import Synchronization
import WSKitContract

/// The part of a connection that does not depend on the application's types: identity, the
/// ordered outbound path, plugin state and error reporting. Plugins work with it;
/// ``RouterConnection`` adds the typed data and the host entry points.
///
/// Every outbound frame of a connection goes through ``send(_:for:terminal:)``, which serialises
/// it and hands it to the transport under one lock, in the order the sends were decided.
public class ConnectionCore: @unchecked Sendable {
    /// The connection's id.
    public let clientId: String
    /// The W3C trace context of the connection's upgrade request, if the host read one.
    public let traceParent: TraceParent?
    /// The router's clock.
    public let clock: any RouterClock
    /// The router's options.
    public let options: RouterOptions
    /// The executor handlers prefer (from the transport).
    public let executor: (any TaskExecutor)?
    /// The host's coarse per-loop timer (from the transport), for plugins' periodic work.
    public let ticker: (any RouterTicker)?

    let transport: any RouterTransport
    let outbound = Mutex(Outbound())
    let pluginStates: [(ObjectIdentifier, any AnyObject & Sendable)]
    let routerStates: [(ObjectIdentifier, any AnyObject & Sendable)]
    let reporter: @Sendable (RouterErrorEvent) -> Void
    @usableFromInline let tracker: TaskTracker
    /// The plugins' inbound-frame hooks bound to this connection's state (`nil`: none).
    let inboundFrameHook: (@Sendable () -> Void)?

    struct Outbound {
        var scratch: [UInt8] = []
        var closed = false
        /// Exchanges whose handlers are running (few at a time: an array beats hashing).
        var exchanges: [MessageExchange] = []
    }

    init(
        clientId: String, transport: any RouterTransport, clock: any RouterClock, options: RouterOptions,
        pluginStates: [(ObjectIdentifier, any AnyObject & Sendable)],
        routerStates: [(ObjectIdentifier, any AnyObject & Sendable)],
        inboundFrameHook: (@Sendable () -> Void)?,
        reporter: @escaping @Sendable (RouterErrorEvent) -> Void, tracker: TaskTracker
    ) {
        self.clientId = clientId
        self.transport = transport
        self.executor = transport.executor
        self.ticker = transport.ticker
        self.traceParent = transport.traceParent
        self.clock = clock
        self.options = options
        self.pluginStates = pluginStates
        self.routerStates = routerStates
        self.inboundFrameHook = inboundFrameHook
        self.reporter = reporter
        self.tracker = tracker
    }

    // MARK: Sending

    /// Sends an envelope as one text frame.
    ///
    /// With an `exchange`, the send is part of answering that message: it is dropped once the
    /// exchange has a terminal answer, and `terminal: true` makes this frame the terminal one
    /// (decided atomically with the write, so a concurrent terminal or progress cannot slip in
    /// between). Returns `.dropped` once the connection is closed or closing.
    @discardableResult
    public func send(_ envelope: Envelope, for exchange: MessageExchange? = nil, terminal: Bool = false) -> SendResult {
        outbound.withLock { state -> SendResult in
            if state.closed { return .dropped }
            if let exchange, !exchange.claim(terminal: terminal) { return .dropped }
            state.scratch.removeAll(keepingCapacity: true)
            envelope.serialize(into: &state.scratch)
            let result = state.scratch.withUnsafeBytes { transport.send(text: $0) }
            if state.scratch.capacity > 1 << 16 { state.scratch = [] }
            return result
        }
    }

    /// Sends a server message: `meta` gets the router clock's `timestamp` and, when given, the
    /// `correlationId` (neither can be overridden by `meta`).
    @discardableResult
    public func send(
        type: String, payload: JSONValue?, correlationId: String? = nil, meta: JSONObject = [:],
        for exchange: MessageExchange? = nil, terminal: Bool = false
    ) -> SendResult {
        let envelope = Envelope.outbound(
            type: type, payload: payload, correlationId: correlationId, timestamp: clock.nowMs, extraMeta: meta)
        return send(envelope, for: exchange, terminal: terminal)
    }

    /// Sends an error about an inbound message: `RPC_ERROR` with its correlation id (terminal)
    /// for an RPC, `ERROR` otherwise (or without exchange). Details are sanitised.
    @discardableResult
    public func sendError(_ error: WireError, for exchange: MessageExchange?) -> SendResult {
        let correlationId = exchange?.kind == .rpc ? exchange?.correlationId : nil
        let envelope = Envelope.error(
            error, correlationId: correlationId, timestamp: clock.nowMs, sanitizer: options.errorSanitizer)
        let result = send(envelope, for: exchange, terminal: correlationId != nil)
        if correlationId != nil, result != .dropped { exchange?.noteErrorAnswer() }
        return result
    }

    /// Sends an error about a frame that has no exchange (it could not be routed): `RPC_ERROR`
    /// when a correlation id could be read, `ERROR` otherwise.
    @discardableResult
    public func sendError(_ error: WireError, correlationId: String?) -> SendResult {
        let envelope = Envelope.error(
            error, correlationId: correlationId, timestamp: clock.nowMs, sanitizer: options.errorSanitizer)
        return send(envelope)
    }

    /// Sends a WebSocket ping frame through the host (serialised with the connection's other
    /// frames). `.dropped` when the connection is closed or the host cannot ping.
    @discardableResult
    public func sendPing() -> SendResult {
        outbound.withLock { state -> SendResult in
            if state.closed { return .dropped }
            return transport.sendPing()
        }
    }

    // MARK: Inbound frames

    /// Records that the peer sent a frame: runs the plugins' inbound-frame hooks
    /// (``PluginInstallation/onInboundFrame(_:_:)``), such as the heartbeat's sign of life.
    /// ``RouterConnection/receive(text:)`` does this for every data frame; hosts call it for the
    /// frames the router never sees (pings, pongs). Without hooks: one `nil` check.
    @inline(__always)
    public func notePeerActivity() {
        if let inboundFrameHook { inboundFrameHook() }
    }

    // MARK: Closing

    /// Whether the connection is closed or closing (sends are dropped).
    public var isClosed: Bool { outbound.withLock { $0.closed } }

    /// Closes the connection from the server side: later sends are dropped, the transport is
    /// asked to close, and the host's close report then cancels running handlers and runs
    /// `onClose`.
    public func close(code: UInt16, reason: String) {
        let first = outbound.withLock { state -> Bool in
            if state.closed { return false }
            state.closed = true
            return true
        }
        if first { transport.close(code: code, reason: reason) }
    }

    /// Stops sending and cancels every running handler (the connection is gone).
    func shutDown() {
        let exchanges = outbound.withLock { state -> [MessageExchange] in
            state.closed = true
            return state.exchanges
        }
        for exchange in exchanges { exchange.cancel(reason: .disconnected) }
    }

    /// Tracks a running exchange; `false` when the connection is already closed.
    @usableFromInline
    func register(_ exchange: MessageExchange) -> Bool {
        outbound.withLock { state -> Bool in
            if state.closed { return false }
            state.exchanges.append(exchange)
            return true
        }
    }

    @usableFromInline
    func unregister(_ exchange: MessageExchange) {
        outbound.withLock { state in
            if let index = state.exchanges.lastIndex(where: { $0 === exchange }) { state.exchanges.remove(at: index) }
        }
    }

    /// The exchanges whose handlers are running.
    public var runningExchanges: [MessageExchange] {
        outbound.withLock { $0.exchanges }
    }

    // MARK: Plugin state and reporting

    /// The per-connection state a plugin declared with
    /// ``PluginInstallation/connectionState(_:)``, by its type.
    public func state<State: AnyObject & Sendable>(_ type: State.Type) -> State? {
        for (id, value) in pluginStates where id == ObjectIdentifier(State.self) { return value as? State }
        return nil
    }

    /// The router-wide state a plugin declared with ``PluginInstallation/routerState(_:)``.
    public func routerState<State: AnyObject & Sendable>(_ type: State.Type) -> State? {
        for (id, value) in routerStates where id == ObjectIdentifier(State.self) { return value as? State }
        return nil
    }

    /// Reports an error to `onError` hooks and observers.
    public func report(_ event: RouterErrorEvent) {
        reporter(event)
    }

    /// Reports an error about an inbound message.
    func report(_ phase: RouterErrorEvent.Phase, _ error: any Error, exchange: MessageExchange?, sent: WireError?) {
        reporter(RouterErrorEvent(
            phase: phase, error: error, clientId: clientId, messageType: exchange?.type,
            correlationId: exchange?.correlationId, sentToClient: sent))
    }

    /// Starts work for this connection as a task that begins synchronously on the calling
    /// thread and, after suspending, resumes on the connection's executor (ADR 0021). Counted in
    /// ``RouterRuntime/activeTaskCount`` until it ends.
    @discardableResult
    public func spawn(_ body: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
        let tracker = tracker
        tracker.started()
        return Task.immediate(executorPreference: executor) {
            await body()
            tracker.ended()
        }
    }
}

/// Counts the router's running tasks (handlers, lifecycle hooks), for leak checks.
@usableFromInline
final class TaskTracker: Sendable {
    private let count = Atomic<Int>(0)

    @usableFromInline func started() { count.add(1, ordering: .relaxed) }
    @usableFromInline func ended() { count.subtract(1, ordering: .releasing) }
    var active: Int { count.load(ordering: .acquiring) }
}
