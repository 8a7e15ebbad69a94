import WSKitContract

extension ConnectionCore {
    /// Sends a server message whose JSON is written straight into the connection's outbound
    /// buffer: the envelope's head (`type`, then `meta` with the router clock's `timestamp` and,
    /// when given, the `correlationId`, neither of which `meta` can override), then whatever
    /// `writePayload` appends — the `,"payload":…` member, or nothing — then the closing brace.
    ///
    /// The frame is byte for byte what ``send(type:payload:correlationId:meta:for:terminal:)``
    /// sends for the same payload, without an intermediate ``Envelope`` or ``JSONValue``. The
    /// payload is written before the send lock is taken (user `encode(to:)` code never runs under
    /// it); the exchange rules (terminal claim, drop after a terminal) are applied under the lock
    /// with the write, as for every send. If `writePayload` throws, nothing is sent and the error
    /// is rethrown.
    ///
    /// `timestamp` defaults to the router clock's current time.
    @discardableResult
    public func send(
        type: String, correlationId: String? = nil, meta: JSONObject = [:], timestamp: Int64? = nil,
        for exchange: MessageExchange? = nil, terminal: Bool = false,
        writingPayload writePayload: (inout [UInt8]) throws -> Void
    ) rethrows -> SendResult {
        var buffer = takeScratch()
        Envelope.writeOutboundHead(
            type: type, correlationId: correlationId, timestamp: timestamp ?? clock.nowMs, extraMeta: meta,
            into: &buffer)
        do {
            try writePayload(&buffer)
        } catch {
            returnScratch(&buffer)
            throw error
        }
        buffer.append(UInt8(ascii: "}"))
        return sendWritten(&buffer, for: exchange, terminal: terminal)
    }

    /// Takes the connection's scratch buffer (emptied, capacity kept) to write a frame into
    /// outside the send lock; a concurrent writer that finds it taken starts a new one.
    func takeScratch() -> [UInt8] {
        var buffer = outbound.withLock { state -> [UInt8] in
            var taken: [UInt8] = []
            swap(&taken, &state.scratch)
            return taken
        }
        buffer.removeAll(keepingCapacity: true)
        return buffer
    }

    /// Gives a buffer back for the next frame, unless it grew large or a bigger one is there.
    func returnScratch(_ buffer: inout [UInt8]) {
        outbound.withLock { state in keep(&buffer, in: &state) }
    }

    @inline(__always)
    private func keep(_ buffer: inout [UInt8], in state: inout Outbound) {
        if buffer.capacity <= 1 << 16, buffer.capacity > state.scratch.capacity { swap(&buffer, &state.scratch) }
    }

    /// Hands a written frame to the transport under the send lock, applying the exchange rules
    /// (see ``send(_:for:terminal:)``), and keeps the buffer for the next frame.
    func sendWritten(_ buffer: inout [UInt8], for exchange: MessageExchange?, terminal: Bool) -> SendResult {
        outbound.withLock { state -> SendResult in
            let result: SendResult
            if state.closed {
                result = .dropped
            } else if let exchange, !exchange.claim(terminal: terminal) {
                result = .dropped
            } else {
                result = buffer.withUnsafeBytes { transport.send(text: $0) }
            }
            keep(&buffer, in: &state)
            return result
        }
    }
}
