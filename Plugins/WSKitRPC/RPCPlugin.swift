import WSKitContract
import WSKitRouter

/// Request–response on top of the router: `router.rpc(R.self) { ctx in …; return response }`
/// (or `ctx.reply` for a handler that answers early), `ctx.progress` and `ctx.error`, plus the
/// liveness rules that keep a caller from hanging.
///
/// - **Terminal rules.** `reply` and `error` are terminal: the first one wins, decided when it is
///   called; later terminals and progress are dropped. Frames of one connection never reorder.
/// - **Never hanging.** Invalid input → `INVALID_ARGUMENT`; unknown type → `UNIMPLEMENTED`;
///   a throwing handler → the thrown `WireError` or ``WireErrorConvertible``'s `wireError`,
///   anything else `INTERNAL` (details hidden unless ``RouterOptions/exposeErrorDetails``); a handler (or middleware) that returns without
///   answering → `INTERNAL`; over the in-flight limit → `RESOURCE_EXHAUSTED`.
/// - **Cancellation.** `$ws:abort` (answered `CANCELLED`), the deadline from `meta.timeoutMs`
///   (answered `DEADLINE_EXCEEDED`) and disconnect cancel the handler's task.
///
/// ```swift
/// struct AppPlugins: RPCInstalled { var rpc = RPCPlugin(maxInFlightPerConnection: 32) }
/// router.rpc(GetUser.self) { ctx in
///     ctx.progress(.init(name: "…", partial: true))
///     return .init(name: try await users.name(of: ctx.payload.id), partial: false)
/// }
/// ```
public struct RPCPlugin: RouterPlugin {
    /// The most RPCs one connection may have running; more are refused with
    /// `RESOURCE_EXHAUSTED` (retryable, `retryAfterMs` 100).
    public var maxInFlightPerConnection: Int
    /// The deadline for requests without `meta.timeoutMs` (`nil`: none). Counted in whole
    /// milliseconds of the router clock, like `meta.timeoutMs`.
    public var defaultTimeout: Duration?
    /// The longest deadline accepted; a larger `meta.timeoutMs` is clamped to it (`nil`: no cap).
    public var maxTimeout: Duration?
    /// The default progress throttle: a progress update within this window of the last one sent
    /// is dropped (leading edge). `nil`: no throttle.
    public var progressThrottle: Duration?

    /// Creates the plugin.
    public init(
        maxInFlightPerConnection: Int = 1000, defaultTimeout: Duration? = nil, maxTimeout: Duration? = nil,
        progressThrottle: Duration? = nil
    ) {
        self.maxInFlightPerConnection = maxInFlightPerConnection
        self.defaultTimeout = defaultTimeout
        self.maxTimeout = maxTimeout
        self.progressThrottle = progressThrottle
    }

    /// Declares the per-connection call table and claims `$ws:abort`.
    public func install<ConnectionData: Sendable, Plugins: PluginSet>(
        into installation: PluginInstallation<ConnectionData, Plugins>
    ) throws {
        if maxInFlightPerConnection < 1 { installation.fail("maxInFlightPerConnection must be at least 1") }
        if let defaultTimeout, defaultTimeout.wholeMilliseconds < 1 { installation.fail("defaultTimeout must be at least 1 ms") }
        if let maxTimeout, maxTimeout.wholeMilliseconds < 1 { installation.fail("maxTimeout must be at least 1 ms") }
        installation.connectionState { RPCCallTable() }
        installation.handleReservedType(ReservedType.abort) { message in
            Self.abort(message)
        }
    }

    /// `$ws:abort`: cancels the running call with that correlation id and answers it with
    /// `RPC_ERROR` `CANCELLED` (unless it already had its terminal); an unknown id (the call
    /// already ended) is ignored.
    static func abort(_ message: ReservedMessage) {
        let connection = message.connection
        guard let correlationId = message.envelope.correlationId else {
            let error = WireError(code: .invalidArgument, message: "\(ReservedType.abort) requires meta.correlationId")
            connection.report(RouterErrorEvent(
                phase: .dispatch, error: RouterFailure.missingCorrelationId(ReservedType.abort),
                clientId: connection.clientId, messageType: ReservedType.abort, sentToClient: error))
            connection.sendError(error, correlationId: nil)
            return
        }
        connection.state(RPCCallTable.self)?.call(correlationId)?.exchange.cancel(
            reason: .aborted, notifying: WireError(code: .cancelled, message: "Cancelled by the client"))
    }

    /// Admits a request: applies the in-flight limit, registers the call for `$ws:abort`, and
    /// starts its deadline timer.
    @usableFromInline
    func admit(_ exchange: MessageExchange) -> WireError? {
        let connection = exchange.connection
        guard let table = connection.state(RPCCallTable.self), let correlationId = exchange.correlationId else {
            return WireError(code: .internal, message: "RPC state is missing")
        }
        var timeout = exchange.meta[MetaKey.timeoutMs]?.intValue ?? defaultTimeout.map { Int(clamping: $0.wholeMilliseconds) }
        if let cap = maxTimeout, let requested = timeout { timeout = min(requested, Int(clamping: cap.wholeMilliseconds)) }
        var deadline: Int64?
        if let timeout {
            let at = exchange.receivedAt + Int64(timeout)
            if at <= connection.clock.nowMs {
                return WireError(code: .deadlineExceeded, message: "Deadline of \(timeout) ms exceeded")
            }
            deadline = at
        }
        let call = RunningRPC(exchange: exchange, deadline: deadline)
        switch table.insert(call, id: correlationId, limit: maxInFlightPerConnection) {
        case .duplicate:
            return WireError(code: .alreadyExists, message: "An RPC with this correlationId is already running")
        case .full:
            return WireError(
                code: .resourceExhausted, message: "Too many RPCs in flight (limit \(maxInFlightPerConnection))",
                retryAfterMs: 100)
        case .inserted:
            break
        }
        exchange.attach(call)
        if let deadline, let timeout {
            let delay = deadline - connection.clock.nowMs
            call.setTimer(connection.clock.schedule(after: .milliseconds(delay)) { [weak exchange] in
                exchange?.cancel(
                    reason: .deadlineExceeded,
                    notifying: WireError(code: .deadlineExceeded, message: "Deadline of \(timeout) ms exceeded"))
            })
        }
        return nil
    }

    /// The route's finish hook: forgets the call and stops its deadline timer.
    @usableFromInline
    static func finish(_ exchange: MessageExchange) {
        guard let call = exchange.attachment(RunningRPC.self), let correlationId = exchange.correlationId else { return }
        exchange.connection.state(RPCCallTable.self)?.remove(correlationId, call)
        call.stopTimer()
    }
}
