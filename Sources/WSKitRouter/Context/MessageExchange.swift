import Synchronization
import WSKitContract
import WSKitMetrics

/// One inbound message and what the router knows about answering it: its correlation, whether a
/// terminal answer (RPC reply or `RPC_ERROR`) has gone out, its handler task and its
/// cancellation.
///
/// The terminal decision is taken synchronously, in call order, under the connection's send
/// lock: the first terminal wins, later terminals and progress are dropped, and frames of one
/// connection never reorder (ADR 0021). Plugins use ``ConnectionCore/send(_:for:terminal:)``
/// with the exchange to get this rule.
public final class MessageExchange: Sendable {
    /// The message type.
    public let type: String
    /// The meta, server-only keys removed.
    public let meta: JSONObject
    /// The raw payload (validated before any middleware or handler runs).
    public let payload: JSONValue?
    /// When the router received it (router clock, Unix ms).
    public let receivedAt: Int64
    /// `meta.correlationId`, if any.
    public let correlationId: String?
    /// Whether the route is an event or an RPC.
    public let kind: RouteKind
    /// The connection it arrived on.
    public let connection: ConnectionCore
    /// The route's finish hook (see ``Router/addRoute(_:kind:use:requiredPlugin:admit:finish:handler:)``).
    let finishHook: (@Sendable (MessageExchange) -> Void)?
    /// The RPC route's metric handles; nil for events and without a metrics sink.
    let metrics: RouteMetrics.RPCMetrics?

    struct State {
        var terminated = false
        var cancellation: CancellationReason?
        var finished = false
        var task: Task<Void, Never>?
        var finishCallbacks: [@Sendable () -> Void] = []
        var attachment: (any AnyObject & Sendable)?
        var answeredWithError = false
    }

    /// Records that the terminal answer was an `RPC_ERROR` (for the RPC outcome metric).
    func noteErrorAnswer() {
        state.withLock { $0.answeredWithError = true }
    }

    let state = Mutex(State())

    init(
        type: String, meta: JSONObject, payload: JSONValue?, receivedAt: Int64, correlationId: String?,
        kind: RouteKind, connection: ConnectionCore, finishHook: (@Sendable (MessageExchange) -> Void)?,
        metrics: RouteMetrics.RPCMetrics?
    ) {
        self.type = type
        self.meta = meta
        self.payload = payload
        self.receivedAt = receivedAt
        self.correlationId = correlationId
        self.kind = kind
        self.connection = connection
        self.finishHook = finishHook
        self.metrics = metrics
    }

    /// Whether a terminal answer has been decided (sent, or suppressed by cancellation).
    public var isTerminated: Bool { state.withLock { $0.terminated } }

    /// Why the work was cancelled, or `nil`.
    public var cancellationReason: CancellationReason? { state.withLock { $0.cancellation } }

    /// Whether the work was cancelled.
    public var isCancelled: Bool { cancellationReason != nil }

    /// Whether the handler task has ended.
    public var isFinished: Bool { state.withLock { $0.finished } }

    /// Claims the right to send one frame: `false` once terminated; a terminal claim terminates.
    /// Called under the connection's send lock.
    func claim(terminal: Bool) -> Bool {
        state.withLock { state in
            if state.terminated { return false }
            if terminal { state.terminated = true }
            return true
        }
    }

    /// Cancels the work: records `reason` (the first reason wins), sends `error` as the terminal
    /// answer if none went out yet (`nil`: answer nothing — the client stopped listening), then
    /// cancels the handler task. Does nothing once the handler has finished.
    public func cancel(reason: CancellationReason, notifying error: WireError? = nil) {
        let proceed = state.withLock { state -> Bool in
            if state.finished || state.cancellation != nil { return false }
            state.cancellation = reason
            return true
        }
        guard proceed else { return }
        if let error {
            connection.sendError(error, for: self)
        }
        let task = state.withLock { state -> Task<Void, Never>? in
            state.terminated = true
            return state.task
        }
        task?.cancel()
    }

    /// Registers work to do when the handler task ends (or at once if it has). Plugins that own a
    /// route prefer the route's finish hook, which costs no allocation per message.
    public func onFinish(_ callback: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            if state.finished { return true }
            state.finishCallbacks.append(callback)
            return false
        }
        if runNow { callback() }
    }

    /// Attaches the per-request object of the plugin that owns the route, found again with
    /// ``attachment(_:)``. There is one slot per exchange: only the route's own plugin may use it
    /// (the RPC plugin keeps its call there).
    public func attach(_ value: any AnyObject & Sendable) {
        state.withLock { state in
            assert(state.attachment == nil, "MessageExchange.attach: the slot belongs to the route's plugin and is taken")
            state.attachment = value
        }
    }

    /// The attached object, if it is a `Value`.
    ///
    /// Inlinable so that the cast is specialised for `Value` where it is called: unspecialised, it
    /// looked up `Optional<Value>`'s metadata at run time on every call.
    @inlinable
    public func attachment<Value: AnyObject & Sendable>(_ type: Value.Type) -> Value? {
        attachedObject as? Value
    }

    /// The attached object, whatever its type.
    @usableFromInline
    var attachedObject: (any AnyObject & Sendable)? { state.withLock { $0.attachment } }

    /// Stores the handler task; cancels it at once if cancellation came first.
    @usableFromInline
    func setTask(_ task: Task<Void, Never>) {
        let cancelNow = state.withLock { state -> Bool in
            if state.finished { return false }
            state.task = task
            return state.cancellation != nil
        }
        if cancelNow { task.cancel() }
    }

    /// Marks the handler as ended and runs the route's finish hook and the finish callbacks.
    @usableFromInline
    func finish() {
        let (first, callbacks, attached, outcome) = state.withLock { state -> (Bool, [@Sendable () -> Void], Bool, RPCOutcome) in
            if state.finished { return (false, [], false, .ok) }
            state.finished = true
            state.task = nil
            let callbacks = state.finishCallbacks
            state.finishCallbacks = []
            let outcome: RPCOutcome = state.cancellation != nil ? .cancelled : state.answeredWithError ? .error : .ok
            return (true, callbacks, state.attachment != nil, outcome)
        }
        guard first else { return }
        if let metrics { reportRPC(metrics, outcome) }
        finishHook?(self)
        for callback in callbacks { callback() }
        // The attachment usually refers back to the exchange: break the cycle.
        if attached { state.withLock { $0.attachment = nil } }
    }

    /// How an RPC ended, for `wskit_rpc_calls_total{outcome}`.
    enum RPCOutcome { case ok, error, cancelled }

    /// Counts the ended RPC by outcome and records its latency (router clock, millisecond
    /// resolution), through the route's pre-resolved handles.
    private func reportRPC(_ metrics: RouteMetrics.RPCMetrics, _ outcome: RPCOutcome) {
        switch outcome {
        case .ok: metrics.ok.increment(by: 1)
        case .error: metrics.error.increment(by: 1)
        case .cancelled: metrics.cancelled.increment(by: 1)
        }
        metrics.duration.record(Double(max(0, connection.clock.nowMs - receivedAt)) / 1000)
    }
}
