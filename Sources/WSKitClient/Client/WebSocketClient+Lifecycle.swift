import WSKitContract
import WSKitProtocol

/// Carrying out the state machine's effects, connection attempts, and connection events.
extension WebSocketClient {
    /// Applies `effects` (under the lock); work that may call back into the client goes to `after`.
    func perform(_ effects: [ConnectionStateMachine.Effect], on core: inout ClientCore, after: inout AfterUnlock) {
        var work = effects[...]
        while let effect = work.popFirst() {
            switch effect {
            case .transition(let state):
                for observer in core.observers.values { observer.yield(state) }
            case .startAttempt:
                core.generation &+= 1
                core.subprotocol = nil
                let generation = core.generation
                let endpoints = configuration.endpoints
                let url = endpoints[core.attempts % endpoints.count]
                core.attempts &+= 1
                core.endpoint = url
                after { [weak self] in self?.startAttempt(generation, url: url) }
            case .scheduleReconnect(let delay, _):
                core.reconnectToken &+= 1
                let token = core.reconnectToken
                let clock = configuration.clock
                core.reconnectTask = Task { [weak self] in
                    do { try await clock.sleep(for: delay) } catch { return }
                    self?.reconnectDelayElapsed(token)
                }
            case .cancelReconnect:
                core.reconnectTask?.cancel()
                core.reconnectTask = nil
            case .closeConnection:
                core.connection?.close(code: core.closeRequest.code, reason: core.closeRequest.reason)
            case .abortConnection:
                if let connection = core.connection {
                    connection.abort()
                } else {
                    // Still fetching a token: invalidate the attempt and end it here.
                    core.generation &+= 1
                    let info = WebSocketCloseInfo(cause: .aborted, wasOpen: false)
                    core.lastClose = info
                    work.append(contentsOf: core.machine.disconnected(info, unit: 0))
                }
            case .flushQueue:
                if let connection = core.connection { resubscribeTopics(on: connection) }
                flushQueue(&core)
            case .clearQueue:
                let info = manualCloseInfo(core)
                for frame in core.queue.drain() {
                    guard let id = frame.requestID, let entry = core.pending.removeValue(forKey: id) else { continue }
                    entry.finish(.failure(.connectionClosed(info)))
                }
            case .rejectSentRequests:
                let info = disconnectInfo(core)
                for (id, entry) in core.pending where entry.sentOn != nil {
                    core.pending[id] = nil
                    entry.finish(.failure(.connectionClosed(info)))
                }
            case .rejectQueuedRequests:
                let info = disconnectInfo(core)
                core.queue.removeAll { $0.requestID != nil }
                for (id, entry) in core.pending where entry.sentOn == nil {
                    core.pending[id] = nil
                    entry.finish(.failure(.connectionClosed(info)))
                }
            case .resolveConnectWaiters:
                for waiter in core.connectWaiters.values { waiter.resume(returning: .success(())) }
                core.connectWaiters = [:]
            case .failConnectWaiters:
                let error: WebSocketClientError = core.machine.closedManually
                    ? .connectionClosed(manualCloseInfo(core)) : .connectionFailed(disconnectInfo(core))
                for waiter in core.connectWaiters.values { waiter.resume(returning: .failure(error)) }
                core.connectWaiters = [:]
            case .resolveCloseWaiters:
                for waiter in core.closeWaiters { waiter.resume() }
                core.closeWaiters = []
            }
        }
    }

    private func manualCloseInfo(_ core: ClientCore) -> WebSocketCloseInfo {
        WebSocketCloseInfo(cause: .clientClosed, code: core.closeRequest.code, reason: core.closeRequest.reason,
                           wasOpen: core.connection != nil)
    }

    private func disconnectInfo(_ core: ClientCore) -> WebSocketCloseInfo {
        if core.machine.closedManually { return manualCloseInfo(core) }
        return core.lastClose ?? WebSocketCloseInfo(cause: .connectionLost, wasOpen: false)
    }

    /// Sends the offline queue in order on the connection that just opened.
    private func flushQueue(_ core: inout ClientCore) {
        guard let connection = core.connection else { return }
        let now = configuration.clock.now()
        for frame in core.queue.drain() {
            switch frame {
            case .message(let bytes):
                connection.send(utf8Text: bytes)
            case .request(let id, let type, var meta, let payload):
                guard let entry = core.pending[id] else { continue }
                let left = entry.deadline - now
                guard left > .zero else { continue }
                meta[MetaKey.timeoutMs] = .number(Double(Self.milliseconds(left)))
                var bytes: [UInt8] = []
                Envelope.serialize(type: type, meta: meta, payload: payload, into: &bytes)
                if connection.send(utf8Text: bytes) { core.pending[id]?.sentOn = core.generation }
            }
        }
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(0, seconds &* 1000 &+ (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    private func reconnectDelayElapsed(_ token: UInt64) {
        var after = AfterUnlock()
        core.withLock { core in
            guard core.reconnectToken == token else { return }
            core.reconnectTask = nil
            perform(core.machine.reconnectDelayElapsed(), on: &core, after: &after)
        }
        after.run()
    }

    // MARK: Attempts

    private enum TokenOutcome {
        case token(String?)
        case failed(String)
    }

    private func startAttempt(_ generation: UInt64, url: WebSocketURL) {
        guard let auth = configuration.auth else {
            openConnection(generation, url: url, token: .token(nil))
            return
        }
        Task { [weak self] in
            let outcome: TokenOutcome
            do {
                outcome = .token(try await auth.token())
            } catch {
                outcome = .failed("token provider failed: \(error)")
            }
            self?.openConnection(generation, url: url, token: outcome)
        }
    }

    /// Builds the URL and options for this attempt (placing the token) and starts the connection.
    private func openConnection(_ generation: UInt64, url: WebSocketURL, token outcome: TokenOutcome) {
        var url = url
        var options = configuration.connection
        func fail(_ why: String) {
            handle(.closed(WebSocketCloseInfo(cause: .setupFailed(why), wasOpen: false)), generation: generation)
        }
        switch outcome {
        case .failed(let why):
            return fail(why)
        case .token(let token):
            if let token, let auth = configuration.auth {
                switch auth.placement {
                case .query(let name):
                    url = url.settingQueryItem(name: name, value: token)
                case .subprotocol(let prefix, let position):
                    let entry = prefix + token
                    guard HTTPToken.isToken(entry) else {
                        return fail("the token cannot be sent as a subprotocol (not an HTTP token)")
                    }
                    let merged = position == .append ? options.subprotocols + [entry] : [entry] + options.subprotocols
                    var seen = Set<String>()
                    options.subprotocols = merged.filter { !$0.isEmpty && seen.insert($0).inserted }
                }
            }
        }
        let connection: WebSocketClientConnection
        do {
            connection = try WebSocketClientConnection(url: url, options: options) { [weak self] event in
                self?.handle(event, generation: generation)
            }
        } catch {
            return fail(error.description)
        }
        let current = core.withLock { core -> Bool in
            guard core.generation == generation, core.machine.state == .connecting else { return false }
            core.connection = connection
            return true
        }
        if current { connection.start() }
    }

    // MARK: Connection events (I/O thread)

    private func handle(_ event: WebSocketConnectionEvent, generation: UInt64) {
        switch event {
        case .open(let accepted):
            var after = AfterUnlock()
            core.withLock { core in
                guard core.generation == generation else { return }
                core.subprotocol = accepted.subprotocol
                perform(core.machine.opened(), on: &core, after: &after)
            }
            after.run()
        case .text(let text):
            var text = text
            text.withUTF8 { receive(UnsafeRawBufferPointer($0)) }
        case .binary(let bytes):
            bytes.withUnsafeBytes { receive($0) }
        case .ping, .pong:
            break
        case .closed(let info):
            let unit = configuration.random()
            var after = AfterUnlock()
            core.withLock { core in
                guard core.generation == generation else { return }
                core.connection = nil
                core.lastClose = info
                perform(core.machine.disconnected(info, unit: unit), on: &core, after: &after)
            }
            after.run()
        }
    }

    /// An inbound message: a reply to a pending request, or one for the handlers.
    private func receive(_ bytes: UnsafeRawBufferPointer) {
        let envelope: Envelope
        do {
            envelope = try Envelope.parse(bytes, limits: configuration.jsonLimits)
        } catch {
            guard let legacy = Self.legacyProgress(bytes, error: error, limits: configuration.jsonLimits) else {
                dispatcher.deliver(.malformedMessage(error))
                return
            }
            envelope = legacy
        }
        if let id = envelope.correlationId, resolve(envelope, correlationId: id) { return }
        // The answer to a `Heartbeat.Probe.heartbeatMessage` probe: its arrival was the point.
        if envelope.type == ReservedType.heartbeatAck { return }
        if observeTopics(envelope) { return }
        dispatcher.deliver(envelope)
    }

    /// WS-Kit's shipped client reads progress from `data` rather than `payload`, and some WS-Kit
    /// servers send it there: accept `{"type": "$ws:rpc-progress", "meta": …, "data": …}` too
    /// (docs/wire-protocol.md §5).
    static func legacyProgress(_ bytes: UnsafeRawBufferPointer, error: EnvelopeError, limits: JSONLimits) -> Envelope? {
        guard case .unknownRootKey("data") = error.kind, error.type == ReservedType.rpcProgress,
              case .object(var object)? = try? JSON.parse(bytes, limits: limits) else { return nil }
        let data = object.removeValue(forKey: "data")
        guard object["payload"] == nil else { return nil }
        object["payload"] = data
        return try? Envelope(validating: .object(object))
    }
}
