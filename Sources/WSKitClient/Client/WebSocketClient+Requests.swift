import WSKitContract

/// Requests (RPC): correlation, timeouts, progress, cancellation.
extension WebSocketClient {
    /// Sends a request and returns its validated reply.
    ///
    /// The request carries a fresh `meta.correlationId` and `meta.timeoutMs`. While the client is
    /// reconnecting it waits in the offline queue (and is sent with the time it has left). It
    /// never hangs: it ends with the reply, the server's error (`.server`), `.timeout`,
    /// `.connectionClosed` when the connection drops after it was sent, or `.cancelled` when the
    /// calling task is cancelled — which also sends the server `$ws:abort`.
    ///
    /// - Parameters:
    ///   - timeout: how long to wait for the reply, from this call; default
    ///     `configuration.requestTimeout`.
    ///   - progress: called, in order and before this method returns, with each
    ///     `$ws:rpc-progress` update (validated as a `R.Response`).
    public func request<R: RPC>(
        _ rpc: R.Type, _ payload: R.Payload, timeout: Duration? = nil, meta: JSONObject = [:],
        progress: ((R.Response) -> Void)? = nil
    ) async throws(WebSocketClientError) -> R.Response {
        let call = try start(R.self, payload, timeout: timeout, meta: meta, streamsProgress: progress != nil)
        if let progress {
            for await update in call.progress { progress(update) }
        }
        return try await call.result()
    }

    /// Sends a request that has no payload and returns its validated reply.
    public func request<R: RPC>(
        _ rpc: R.Type, timeout: Duration? = nil, meta: JSONObject = [:],
        progress: ((R.Response) -> Void)? = nil
    ) async throws(WebSocketClientError) -> R.Response where R.Payload == Empty {
        try await request(R.self, Empty(), timeout: timeout, meta: meta, progress: progress)
    }

    /// Sends a request and returns the call: iterate `progress`, await `result()`, or `cancel()`.
    /// Throws at once, sending nothing, on invalid payloads and state errors (see `request`).
    public func call<R: RPC>(
        _ rpc: R.Type, _ payload: R.Payload, timeout: Duration? = nil, meta: JSONObject = [:]
    ) throws(WebSocketClientError) -> RPCCall<R> {
        try start(R.self, payload, timeout: timeout, meta: meta, streamsProgress: true)
    }

    private enum Admission {
        case admitted(String)
        case refused(WebSocketClientError)
    }

    private func start<R: RPC>(
        _ rpc: R.Type, _ payload: R.Payload, timeout: Duration?, meta: JSONObject, streamsProgress: Bool
    ) throws(WebSocketClientError) -> RPCCall<R> {
        let json = try encode(R.self, payload)
        let timeout = timeout ?? configuration.requestTimeout
        var meta = cleanMeta(meta)
        let completion = OneShot<Result<Envelope, WebSocketClientError>>()
        let (updates, continuation) = AsyncStream<JSONValue?>.makeStream(bufferingPolicy: .unbounded)
        let progress: AsyncStream<JSONValue?>.Continuation?
        if streamsProgress {
            progress = continuation
        } else {
            progress = nil
            continuation.finish()
        }
        let deadline = configuration.clock.now() + timeout
        var after = AfterUnlock()
        let admission = core.withLock { core -> Admission in
            guard core.pending.count < configuration.pendingRequestLimit else {
                return .refused(.state(.tooManyPendingRequests(limit: configuration.pendingRequestLimit)))
            }
            let id = "\(correlationPrefix)-\(core.makeID())"
            meta[MetaKey.correlationId] = .string(id)
            var entry = PendingRequest(completion: completion, progress: progress, deadline: deadline)
            switch core.machine.state {
            case .open:
                meta[MetaKey.timeoutMs] = .number(Double(Self.milliseconds(timeout)))
                var bytes: [UInt8] = []
                Envelope.serialize(type: R.type, meta: meta, payload: json, into: &bytes)
                if let connection = core.connection, connection.send(utf8Text: bytes) {
                    entry.sentOn = core.generation
                    core.pending[id] = entry
                    return .admitted(id)
                }
                meta[MetaKey.timeoutMs] = nil
            case .connecting, .reconnecting:
                break
            case .closed:
                guard configuration.autoConnect, !core.machine.closedManually else {
                    return .refused(.state(.notConnected))
                }
            case .closing:
                return .refused(.state(.closing))
            }
            // Offline: queue it.
            switch enqueue(.request(id: id, type: R.type, meta: meta, payload: json), in: &core, after: &after) {
            case .queued:
                core.pending[id] = entry
                if core.machine.state == .closed { perform(core.machine.connect(), on: &core, after: &after) }
                return .admitted(id)
            case .sent, .dropped:
                return .refused(configuration.queuePolicy == .off
                    ? .state(.notConnected) : .state(.queueFull(capacity: configuration.queueCapacity)))
            }
        }
        after.run()
        let id: String
        switch admission {
        case .refused(let error):
            progress?.finish()
            throw error
        case .admitted(let admitted):
            id = admitted
        }
        let clock = configuration.clock
        let timer = Task { [weak self] in
            do { try await clock.sleep(for: timeout) } catch { return }
            self?.end(id, with: .timeout(timeout))
        }
        let stored = core.withLock { core -> Bool in
            guard core.pending[id] != nil else { return false }
            core.pending[id]?.timeoutTask = timer
            return true
        }
        if !stored { timer.cancel() }
        return RPCCall(correlationId: id, completion: completion, updates: updates) { [weak self] in
            if let self {
                self.end(id, with: .cancelled)
            } else {
                completion.complete(.failure(.cancelled))
            }
        }
    }

    /// Ends a pending request locally (timeout or cancellation); tells the server with
    /// `$ws:abort` when the request is in flight on the open connection.
    func end(_ id: String, with error: WebSocketClientError) {
        let entry = core.withLock { core -> PendingRequest? in
            guard let entry = core.pending.removeValue(forKey: id) else { return nil }
            if let sentOn = entry.sentOn {
                if sentOn == core.generation, core.machine.state == .open, let connection = core.connection {
                    var bytes: [UInt8] = []
                    Envelope.serialize(type: ReservedType.abort, meta: [MetaKey.correlationId: .string(id)],
                                       payload: nil, into: &bytes)
                    connection.send(utf8Text: bytes)
                }
            } else {
                core.queue.removeAll { $0.requestID == id }
            }
            return entry
        }
        entry?.finish(.failure(error))
    }

    /// Routes a correlated inbound message to its pending request; false when none matches and
    /// the message is for the handlers.
    func resolve(_ envelope: Envelope, correlationId id: String) -> Bool {
        let isProtocolReply = envelope.type == ReservedType.rpcProgress || envelope.type == ReservedType.rpcError
        return core.withLock { core -> Bool in
            guard let entry = core.pending[id] else {
                // A late progress update or error of a request that already ended: drop it.
                return isProtocolReply
            }
            switch envelope.type {
            case ReservedType.rpcProgress:
                entry.progress?.yield(envelope.payload)
            case ReservedType.rpcError, ReservedType.error:
                core.pending[id] = nil
                let error = WireError.received(in: envelope)
                entry.finish(.failure(.server(error)))
            default:
                core.pending[id] = nil
                entry.finish(.success(envelope))
            }
            return true
        }
    }
}
