import WSKitContract
import WSKitRouter

extension RouterContext where Plugins: MessagingInstalled {
    /// Sends an `M` to this connection.
    ///
    /// `meta` is added to the message's meta (its `correlationId` and `timestamp` keys are
    /// ignored: the server sets `timestamp`). With `inheritCorrelationId`, the message carries the
    /// inbound message's `meta.correlationId` — for replies to events that a client correlates
    /// itself; RPC replies use `reply` instead.
    ///
    /// Frames of one connection go out in the order they were sent. Returns `.dropped` when the
    /// connection is closed or the payload fails outbound validation (which is reported to
    /// `onError`).
    @inlinable @discardableResult
    public func send<M: Message>(
        _ type: M.Type, _ payload: M.Payload, meta: JSONObject = [:], inheritCorrelationId: Bool = false
    ) -> SendResult {
        guard !ReservedType.isReserved(M.type) else {
            report(RouterFailure.outboundEncoding(type: M.type, error: MessagingError.reservedType(M.type)))
            return .dropped
        }
        let validation = plugins.messaging.outboundValidation ?? connection.options.outboundValidation
        let correlationId = inheritCorrelationId ? exchange?.correlationId : nil
        do {
            // The payload is written straight into the outbound frame (no JSONValue in between
            // unless outbound validation needs one).
            return try connection.send(type: M.type, correlationId: correlationId, meta: meta) { bytes in
                try M.appendPayloadMember(payload, validation: validation, to: &bytes)
            }
        } catch {
            report(RouterFailure.outboundEncoding(type: M.type, error: error))
            return .dropped
        }
    }

    /// Sends an `M` that has no payload.
    @inlinable @discardableResult
    public func send<M: Message>(
        _ type: M.Type, meta: JSONObject = [:], inheritCorrelationId: Bool = false
    ) -> SendResult where M.Payload == Empty {
        send(M.self, Empty(), meta: meta, inheritCorrelationId: inheritCorrelationId)
    }

    @usableFromInline
    func report(_ failure: RouterFailure) {
        connection.report(RouterErrorEvent(
            phase: .send, error: failure, clientId: clientId, messageType: exchange?.type,
            correlationId: exchange?.correlationId))
    }
}
