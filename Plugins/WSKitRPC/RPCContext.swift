import WSKitContract
import WSKitRouter

/// The context of an RPC handler: the validated request ``payload``, the terminal ``reply(_:meta:)``
/// and non-terminal ``progress(_:throttle:)``, the deadline, and everything a
/// ``RouterContext`` offers (`ctx.error` answers with `RPC_ERROR`).
///
/// A handler that returns its ``RPC/Response`` need not call ``reply(_:meta:)``: the returned
/// value is the reply. `reply` is for handlers that answer before they finish.
public struct RPCContext<R: RPC, ConnectionData: Sendable, Plugins: RPCInstalled>: InboundContext {
    /// The validated request payload.
    public let payload: R.Payload
    /// The connection.
    public let connection: RouterConnection<ConnectionData, Plugins>
    /// The request being handled.
    public let inbound: MessageExchange
    @usableFromInline let call: RunningRPC
    /// The reply's wire type (``RPC/responseType``, read once when the route was registered).
    @usableFromInline let responseType: String

    /// The context of an admitted request: `base` with the call state the plugin attached to it
    /// on admission (`INTERNAL` if it is missing). Shared by both `rpc` overloads' handlers.
    @inlinable
    init(admitted base: MessageContext<R, ConnectionData, Plugins>, responseType: String) throws(WireError) {
        guard let call = base.inbound.attachment(RunningRPC.self) else {
            throw WireError(code: .internal, message: "RPC state is missing")
        }
        payload = base.payload
        connection = base.connection
        inbound = base.inbound
        self.call = call
        self.responseType = responseType
    }

    /// The request being handled.
    public var exchange: MessageExchange? { inbound }

    /// The request's `meta.correlationId` (an RPC always has one).
    @inlinable var requestId: String { inbound.correlationId ?? "" }

    /// When the request's deadline passes (router clock, Unix ms), if it has one:
    /// `receivedAt + meta.timeoutMs`, or the plugin's default.
    public var deadline: Int64? { call.deadline }

    /// The time left before the deadline (never negative, whole milliseconds of the router
    /// clock), if there is one.
    public var timeRemaining: Duration? {
        deadline.map { .milliseconds(max(0, $0 - connection.clock.nowMs)) }
    }

    /// Why the call was cancelled (abort, deadline, disconnect), or `nil`. The handler's task is
    /// cancelled too, so `clock.sleep` and other cancellable waits throw.
    public var cancellationReason: CancellationReason? { inbound.cancellationReason }

    /// Whether a terminal answer (reply or error) has been decided.
    public var isAnswered: Bool { inbound.isTerminated }

    /// Sends the reply (type ``RPC/responseType``, the request's correlation id): terminal, once.
    ///
    /// Returns `.dropped` when a terminal was already decided (by an earlier reply or error, the
    /// deadline or an abort) or the connection is gone. A payload that cannot be encoded (or breaks
    /// its own schema under outbound validation) is reported and answered with `INTERNAL`.
    @inlinable @discardableResult
    public func reply(_ payload: R.Response, meta: JSONObject = [:]) -> SendResult {
        if inbound.isTerminated { return .dropped }
        let validation = connection.options.outboundValidation
        do {
            // The payload is written straight into the outbound frame (no JSONValue in between
            // unless outbound validation needs one).
            return try connection.send(
                type: responseType, correlationId: inbound.correlationId, meta: meta, for: inbound, terminal: true
            ) { bytes in
                try RPCResponse<R>.appendPayloadMember(payload, validation: validation, to: &bytes)
            }
        } catch {
            let wire = WireError(code: .internal, message: "The reply could not be encoded")
            connection.report(RouterErrorEvent(
                phase: .send, error: RouterFailure.outboundEncoding(type: responseType, error: error),
                clientId: clientId, messageType: inbound.type, correlationId: inbound.correlationId, sentToClient: wire))
            connection.sendError(wire, for: inbound)
            return .dropped
        }
    }

    /// Sends a progress update (`$ws:rpc-progress` with the response's payload shape):
    /// non-terminal, delivered before the reply, dropped once a terminal was decided.
    ///
    /// With a throttle (`throttle`, or the plugin's ``RPCPlugin/progressThrottle``), an update
    /// within the window of the last one sent is dropped.
    @inlinable @discardableResult
    public func progress(_ payload: R.Response, throttle: Duration? = nil) -> SendResult {
        if inbound.isTerminated { return .dropped }
        let now = connection.clock.nowMs
        let window = (throttle ?? plugins.rpc.progressThrottle).map { Int(clamping: $0.wholeMilliseconds) }
        guard call.admitProgress(now: now, window: window) else { return .dropped }
        let validation = connection.options.outboundValidation
        do {
            return try connection.send(
                type: ReservedType.rpcProgress, correlationId: requestId, timestamp: now, for: inbound, terminal: false
            ) { bytes in
                try RPCResponse<R>.appendPayloadMember(payload, validation: validation, to: &bytes)
            }
        } catch {
            connection.report(RouterErrorEvent(
                phase: .send, error: RouterFailure.outboundEncoding(type: ReservedType.rpcProgress, error: error),
                clientId: clientId, messageType: inbound.type, correlationId: inbound.correlationId))
            return .dropped
        }
    }
}

extension RPCContext where R.Response == Empty {
    /// Sends the reply of a response without payload.
    @inlinable @discardableResult
    public func reply(meta: JSONObject = [:]) -> SendResult { reply(Empty(), meta: meta) }
}
