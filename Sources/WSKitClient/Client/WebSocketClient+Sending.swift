import WSKitContract

/// Fire-and-forget messages.
extension WebSocketClient {
    /// Sends a message without waiting for anything.
    ///
    /// The payload is validated against `M`'s constraints first (unless `outboundValidation` is
    /// off). While the client is not open the message waits in the offline queue and goes out, in
    /// order, when the connection opens; `meta.timestamp` is the time of this call.
    ///
    /// - Parameter meta: extra meta keys; `correlationId` and the server-only keys are removed,
    ///   `timestamp` is added unless present.
    /// - Returns: whether the message was sent, queued or dropped (queue off or full, or closing).
    /// - Throws: `.validation` when the payload breaks `M`'s constraints (nothing is sent).
    @discardableResult
    public func send<M: Message>(_ message: M.Type, _ payload: M.Payload, meta: JSONObject = [:]) throws(WebSocketClientError) -> SendOutcome {
        let json = try encode(M.self, payload)
        var outboundMeta = cleanMeta(meta)
        outboundMeta[MetaKey.correlationId] = nil
        var bytes: [UInt8] = []
        Envelope.serialize(type: M.type, meta: outboundMeta, payload: json, into: &bytes)
        return submit(bytes)
    }

    /// Sends a message that has no payload.
    @discardableResult
    public func send<M: Message>(_ message: M.Type, meta: JSONObject = [:]) throws(WebSocketClientError) -> SendOutcome
    where M.Payload == Empty {
        try send(M.self, Empty(), meta: meta)
    }

    /// Encodes (and validates) a payload.
    func encode<M: Message>(_ message: M.Type, _ payload: M.Payload) throws(WebSocketClientError) -> JSONValue? {
        do {
            return try M.encodePayload(payload, validation: configuration.outboundValidation)
        } catch let failure as ValidationFailure {
            throw .validation(failure)
        } catch {
            throw .validation(ValidationFailure(path: .payload, message: "cannot encode: \(error)",
                                                code: ValidationIssue.Code.custom))
        }
    }

    /// User meta without the server-only keys, with `timestamp` added unless present.
    func cleanMeta(_ meta: JSONObject) -> JSONObject {
        var meta = meta
        for key in MetaKey.serverOnly where meta.contains(key: key) { meta[key] = nil }
        if meta[MetaKey.timestamp] == nil {
            meta[MetaKey.timestamp] = .number(Double(PlatformClock.unixMilliseconds()))
        }
        return meta
    }

    /// Sends or queues serialised bytes.
    private func submit(_ bytes: [UInt8]) -> SendOutcome {
        var after = AfterUnlock()
        let outcome = core.withLock { core -> SendOutcome in
            switch core.machine.state {
            case .open:
                if let connection = core.connection, connection.send(utf8Text: bytes) { return .sent }
                return enqueue(.message(bytes), in: &core, after: &after)
            case .connecting, .reconnecting:
                return enqueue(.message(bytes), in: &core, after: &after)
            case .closed:
                let outcome = enqueue(.message(bytes), in: &core, after: &after)
                if configuration.autoConnect && outcome == .queued && !core.machine.closedManually {
                    perform(core.machine.connect(), on: &core, after: &after)
                }
                return outcome
            case .closing:
                return .dropped
            }
        }
        after.run()
        return outcome
    }

    /// Queues a frame; an evicted request is failed with `.evictedFromQueue`.
    func enqueue(_ frame: QueuedFrame, in core: inout ClientCore, after: inout AfterUnlock) -> SendOutcome {
        switch core.queue.enqueue(frame) {
        case .queued:
            return .queued
        case .queuedEvicting(let evicted):
            if let id = evicted.requestID, let entry = core.pending.removeValue(forKey: id) {
                after { entry.finish(.failure(.state(.evictedFromQueue))) }
            }
            return .queued
        case .rejected:
            return .dropped
        }
    }
}
