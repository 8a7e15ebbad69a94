import WSKitContract
import WSKitMetrics

/// Parses, checks and routes inbound frames for a built router. Not generic: everything up to
/// the route's start closure runs as concrete code (ADR 0021).
final class Dispatcher: Sendable {
    let routes: [String: BoundRoute]
    let reservedHandlers: [String: ReservedTypeHandler]
    let options: RouterOptions
    let clock: any RouterClock

    init(routes: [String: BoundRoute], reservedHandlers: [String: ReservedTypeHandler], options: RouterOptions, clock: any RouterClock) {
        self.routes = routes
        self.reservedHandlers = reservedHandlers
        self.options = options
        self.clock = clock
    }

    /// Parses, checks and routes one inbound frame. Every rejection is answered (`ERROR`, or
    /// `RPC_ERROR` when a correlation id is readable) and reported; the connection stays open and
    /// no handler runs.
    func dispatch(_ bytes: UnsafeRawBufferPointer, on connection: ConnectionCore) {
        if connection.isClosed { return }
        let receivedAt = clock.nowMs
        let envelope: Envelope
        do {
            envelope = try Envelope.parse(bytes, limits: options.limits)
        } catch {
            let wire = error.wireError
            connection.report(RouterErrorEvent(
                phase: .decode, error: error, clientId: connection.clientId, messageType: error.type,
                correlationId: error.correlationId, sentToClient: wire))
            connection.sendError(wire, correlationId: error.correlationId)
            return
        }
        route(envelope, receivedAt: receivedAt, on: connection)
    }

    /// Routes a parsed envelope. Takes it `consuming` so that its meta and payload move into the
    /// exchange: copying them (and destroying the envelope's) costs about 1k instructions per
    /// message, as `Optional<JSONValue>` is copied through its runtime value witnesses.
    private func route(_ envelope: consuming Envelope, receivedAt: Int64, on connection: ConnectionCore) {
        if envelope.isReserved {
            dispatchReserved(envelope, receivedAt: receivedAt, on: connection)
            return
        }
        guard let route = routes[envelope.type] else {
            reject(envelope, RouterFailure.unknownType(envelope.type), phase: .dispatch,
                   WireError(code: .unimplemented, message: "Unknown message type \"\(Self.clip(envelope.type))\""),
                   correlationId: envelope.correlationId, on: connection)
            return
        }
        let correlationId = envelope.correlationId
        if route.kind == .rpc, correlationId == nil {
            reject(envelope, RouterFailure.missingCorrelationId(envelope.type), phase: .dispatch,
                   WireError(code: .invalidArgument, message: "RPC \"\(envelope.type)\" requires meta.correlationId"),
                   correlationId: nil, on: connection)
            return
        }
        if let failure = envelope.validateMeta(allowing: route.extraMetaKeys) {
            reject(envelope, failure, phase: .validation, WireError(validation: failure, message: "Invalid meta"),
                   correlationId: route.kind == .rpc ? correlationId : nil, on: connection)
            return
        }
        if let metrics = route.metrics { metrics.messages.increment(by: 1) }
        let exchange = MessageExchange(
            type: envelope.type, meta: envelope.meta, payload: envelope.payload, receivedAt: receivedAt,
            correlationId: correlationId, kind: route.kind, connection: connection, finishHook: route.finish,
            metrics: route.metrics?.rpc)
        route.start(connection, exchange)
    }

    /// Reserved types (`$ws:abort`, `__heartbeat`, …) go to the plugin that claimed them; an
    /// unclaimed one is answered with `ERROR` `INVALID_ARGUMENT` (never correlated: it is not an
    /// RPC).
    private func dispatchReserved(_ envelope: Envelope, receivedAt: Int64, on connection: ConnectionCore) {
        if let handler = reservedHandlers[envelope.type] {
            handler(ReservedMessage(envelope: envelope, receivedAt: receivedAt, connection: connection))
            return
        }
        reject(envelope, RouterFailure.reservedType(envelope.type), phase: .dispatch,
               WireError(code: .invalidArgument, message: "Reserved message type \"\(Self.clip(envelope.type))\" cannot be sent by clients"),
               correlationId: nil, on: connection)
    }

    private func reject(
        _ envelope: Envelope, _ error: any Error, phase: RouterErrorEvent.Phase, _ wire: WireError,
        correlationId: String?, on connection: ConnectionCore
    ) {
        connection.report(RouterErrorEvent(
            phase: phase, error: error, clientId: connection.clientId, messageType: envelope.type,
            correlationId: envelope.correlationId, sentToClient: wire))
        connection.sendError(wire, correlationId: correlationId)
    }

    static func clip(_ type: String) -> Substring { type.prefix(64) }
}
