import Synchronization

/// Owns one connection's socket and I/O thread: connects, runs the handshake, moves bytes
/// between the socket and a `RedisSession`, reconnects with backoff, and publishes the
/// connection state. Callers on any thread submit commands through `submit`, which appends bytes
/// under the lock and wakes the thread.
final class RedisDriver<Session: RedisSession>: Sendable {
    let configuration: RedisConfiguration

    private struct State: Sendable {
        var session: Session
        var phase: Phase = .connecting
        var outbound: [UInt8] = []
        var announced: RedisConnectionState = .connecting
        var observers: [UInt64: AsyncStream<RedisConnectionState>.Continuation] = [:]
        var nextObserverID: UInt64 = 0
        var firstOutcome: Result<Void, RedisError>?
        var firstOutcomeWaiters: [CheckedContinuation<Result<Void, RedisError>, Never>] = []
    }

    private enum Phase: Sendable, Equatable {
        case connecting
        case handshaking
        case ready(RedisProtocolVersion)
        case waiting
        case closed
    }

    private let state: Mutex<State>
    private let wake: RedisWakePipe?
    private let wakePending = Atomic<Bool>(false)
    private let closing = Atomic<Bool>(false)

    init(configuration: RedisConfiguration, session: Session) {
        self.configuration = configuration
        state = Mutex(State(session: session))
        wake = RedisWakePipe()
    }

    deinit { wake?.close() }

    /// Starts the I/O thread.
    func start() {
        guard let wake, redisStartThread({ self.run(wake: wake) }) else {
            fail(.connectFailed("cannot start the I/O thread"))
            return
        }
    }

    // MARK: - Caller side

    /// Runs `body` under the lock with the session, the outbound buffer and whether the
    /// connection can take commands now; wakes the I/O thread if bytes were appended.
    func submit<Result>(_ body: (inout Session, inout [UInt8], RedisAvailability) -> Result) -> Result {
        let (result, appended) = state.withLock { state in
            let availability: RedisAvailability = switch state.phase {
            case let .ready(version): .ready(version)
            case .closed: .closed
            default: .notConnected
            }
            let before = state.outbound.count
            let result = body(&state.session, &state.outbound, availability)
            return (result, state.outbound.count != before)
        }
        if appended { wakeUp() }
        return result
    }

    /// Runs `body` with the session under the lock, then runs its effects.
    func withSession(_ body: (inout Session, inout RedisEffects) -> Void) {
        var effects = RedisEffects()
        state.withLock { state in body(&state.session, &effects) }
        effects.run()
    }

    var connectionState: RedisConnectionState { state.withLock { $0.announced } }

    var protocolVersion: RedisProtocolVersion? {
        state.withLock { state in
            if case let .ready(version) = state.phase { return version }
            return nil
        }
    }

    /// A stream of state changes, starting with the current state; it ends after `.closed`.
    func stateChanges() -> AsyncStream<RedisConnectionState> {
        let (stream, continuation) = AsyncStream.makeStream(of: RedisConnectionState.self, bufferingPolicy: .bufferingNewest(64))
        state.withLock { state in
            continuation.yield(state.announced)
            if state.phase == .closed {
                continuation.finish()
                return
            }
            let id = state.nextObserverID
            state.nextObserverID += 1
            continuation.onTermination = { [weak self] _ in
                _ = self?.state.withLock { $0.observers.removeValue(forKey: id) }
            }
            state.observers[id] = continuation
        }
        return stream
    }

    /// Waits until the first connection is usable, or the first attempt failed.
    func firstOutcome() async -> Result<Void, RedisError> {
        await withCheckedContinuation { continuation in
            state.withLock { state in
                if let outcome = state.firstOutcome {
                    continuation.resume(returning: outcome)
                } else {
                    state.firstOutcomeWaiters.append(continuation)
                }
            }
        }
    }

    /// Closes the connection for good: pending work fails with `.closed`, the thread exits.
    func close() {
        fail(.closed)
    }

    private func fail(_ error: RedisError) {
        closing.store(true, ordering: .sequentiallyConsistent)
        var effects = RedisEffects()
        state.withLock { state in
            guard state.phase != .closed else { return }
            state.phase = .closed
            state.session.connectionLost(.closed, effects: &effects)
            state.outbound.removeAll()
            Self.resolveFirstOutcome(&state, .failure(error), &effects)
            Self.announce(.closed, &state, &effects)
        }
        effects.run()
        wakeUp()
    }

    private func wakeUp() {
        guard let wake else { return }
        if !wakePending.exchange(true, ordering: .acquiringAndReleasing) { wake.signal() }
    }

    private static func announce(_ new: RedisConnectionState, _ state: inout State, _ effects: inout RedisEffects) {
        guard state.announced != new else { return }
        if case .disconnected = new, case .disconnected = state.announced { return }
        state.announced = new
        for continuation in state.observers.values { continuation.yield(new) }
        if new == .closed {
            // Finishing runs `onTermination`, which takes the lock: do it after releasing it.
            let observers = Array(state.observers.values)
            state.observers.removeAll()
            effects.actions.append { for continuation in observers { continuation.finish() } }
        }
    }

    private static func resolveFirstOutcome(_ state: inout State, _ outcome: Result<Void, RedisError>, _ effects: inout RedisEffects) {
        guard state.firstOutcome == nil else { return }
        state.firstOutcome = outcome
        let waiters = state.firstOutcomeWaiters
        state.firstOutcomeWaiters = []
        if !waiters.isEmpty {
            effects.actions.append { for waiter in waiters { waiter.resume(returning: outcome) } }
        }
    }

    // MARK: - I/O thread

    private var isClosing: Bool { closing.load(ordering: .sequentiallyConsistent) }

    private func run(wake: RedisWakePipe) {
        let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { readBuffer.deallocate() }
        var failedAttempts = 0
        while !isClosing {
            setPhase(.connecting)
            let deadline = redisNow() &+ redisNanoseconds(configuration.connectTimeout)
            let error: RedisError
            switch RedisSocket.connect(host: configuration.host, port: configuration.port, deadline: deadline, wake: wake, isClosing: { isClosing }) {
            case let .failure(connectError):
                error = connectError
                failedAttempts += 1
            case let .success(socket):
                var connection = LiveConnection(driver: self, socket: socket, wake: wake, handshakeDeadline: deadline)
                error = connection.serve(readBuffer: readBuffer)
                socket.close()
                failedAttempts = connection.becameReady ? 0 : failedAttempts + 1
            }
            connectionDown(error)
            guard !isClosing else { break }
            let delay = configuration.reconnect.delay(afterFailedAttempt: max(failedAttempts - 1, 0), random: Double.random(in: 0 ..< 1))
            let wakeAt = redisNow() &+ redisNanoseconds(delay)
            while !isClosing, redisNow() < wakeAt {
                if wake.sleep(until: wakeAt) { wakePending.store(false, ordering: .sequentiallyConsistent) }
            }
        }
    }

    private func setPhase(_ phase: Phase) {
        state.withLock { state in
            if state.phase != .closed { state.phase = phase }
        }
    }

    private func connectionDown(_ error: RedisError) {
        var effects = RedisEffects()
        state.withLock { state in
            guard state.phase != .closed else { return }
            state.phase = .waiting
            state.session.connectionLost(error, effects: &effects)
            state.outbound.removeAll()
            Self.resolveFirstOutcome(&state, .failure(error), &effects)
            Self.announce(.disconnected(error), &state, &effects)
        }
        effects.run()
    }

    /// The handshake is done: let the session queue its first commands.
    fileprivate func becomeReady(_ version: RedisProtocolVersion) -> RedisError? {
        var effects = RedisEffects()
        let closed = state.withLock { state in
            guard state.phase != .closed else { return true }
            state.phase = .ready(version)
            state.session.connectionReady(output: &state.outbound, effects: &effects)
            apply(&effects, &state)
            return false
        }
        effects.run()
        return closed ? .closed : effects.disconnect
    }

    /// Moves queued bytes to `buffer`; returns the session's next deadline, or nil when closed.
    fileprivate func takeOutbound(into buffer: inout [UInt8]) -> (closed: Bool, deadline: UInt64?) {
        state.withLock { state in
            guard state.phase != .closed else { return (true, nil) }
            if !state.outbound.isEmpty {
                if buffer.isEmpty {
                    swap(&buffer, &state.outbound)
                } else {
                    buffer.append(contentsOf: state.outbound)
                    state.outbound.removeAll(keepingCapacity: true)
                }
            }
            return (false, state.session.nextDeadline)
        }
    }

    /// Hands replies to the session; returns an error when the connection must be dropped.
    fileprivate func deliver(_ values: ArraySlice<RedisValue>) -> RedisError? {
        var effects = RedisEffects()
        let closed = state.withLock { state in
            guard state.phase != .closed else { return true }
            for value in values {
                state.session.receive(value, effects: &effects)
                if effects.disconnect != nil { break }
            }
            apply(&effects, &state)
            return false
        }
        effects.run()
        return closed ? .closed : effects.disconnect
    }

    /// Lets the session expire what is due; returns an error when the connection must be dropped.
    fileprivate func expire() -> RedisError? {
        var effects = RedisEffects()
        state.withLock { state in
            guard state.phase != .closed else { return }
            state.session.expire(now: redisNow(), effects: &effects)
            apply(&effects, &state)
        }
        effects.run()
        return effects.disconnect
    }

    private func apply(_ effects: inout RedisEffects, _ state: inout State) {
        if effects.announceConnected {
            Self.resolveFirstOutcome(&state, .success(()), &effects)
            Self.announce(.connected, &state, &effects)
        }
    }

    fileprivate func woke() {
        wakePending.store(false, ordering: .sequentiallyConsistent)
    }
}

/// One TCP connection's life on the I/O thread: handshake, then reads, writes and timers until it
/// breaks or the client closes.
private struct LiveConnection<Session: RedisSession> {
    let driver: RedisDriver<Session>
    let socket: RedisSocket
    let wake: RedisWakePipe
    let handshakeDeadline: UInt64
    var becameReady = false

    private var parser: RESPParser
    private var handshake: RedisHandshake
    private var writeBuffer: [UInt8] = []
    private var writeOffset = 0
    private var values: [RedisValue] = []

    init(driver: RedisDriver<Session>, socket: RedisSocket, wake: RedisWakePipe, handshakeDeadline: UInt64) {
        self.driver = driver
        self.socket = socket
        self.wake = wake
        self.handshakeDeadline = handshakeDeadline
        parser = RESPParser(limits: driver.configuration.limits)
        handshake = RedisHandshake(configuration: driver.configuration)
    }

    /// Runs the connection; returns why it ended.
    mutating func serve(readBuffer: UnsafeMutableRawBufferPointer) -> RedisError {
        switch handshake.start(into: &writeBuffer) {
        case let .ready(version):
            if let error = ready(version) { return error }
        case let .failed(error):
            return error
        case .awaitReply:
            break
        }
        while true {
            // Queue what callers submitted (only once ready: nothing is accepted before).
            var deadline: UInt64? = becameReady ? nil : handshakeDeadline
            if becameReady {
                let (closed, next) = driver.takeOutbound(into: &writeBuffer)
                if closed { return .closed }
                deadline = next
            }
            if let error = flush() { return error }

            let now = redisNow()
            let ready = socket.wait(forWriting: writeOffset < writeBuffer.count, wake: wake, timeout: deadline.map { $0 > now ? $0 - now : 0 })
            if ready.woken {
                wake.drain()
                driver.woke()
            }
            if ready.readable, let error = readAndDispatch(readBuffer) { return error }

            let after = redisNow()
            if !becameReady {
                if after >= handshakeDeadline { return .connectFailed("handshake timed out") }
            } else if let deadline, after >= deadline, let error = driver.expire() {
                return error
            }
        }
    }

    private mutating func ready(_ version: RedisProtocolVersion) -> RedisError? {
        becameReady = true
        return driver.becomeReady(version)
    }

    /// Writes as much of the buffer as the socket takes.
    private mutating func flush() -> RedisError? {
        while writeOffset < writeBuffer.count {
            let result = writeBuffer.withUnsafeBytes { socket.write(UnsafeRawBufferPointer(rebasing: $0[writeOffset...])) }
            switch result {
            case let .transferred(count): writeOffset += count
            case .wouldBlock: return nil
            case .endOfStream: return .connectionLost("closed by the server")
            case let .failed(reason): return .connectionLost(reason)
            }
        }
        writeBuffer.removeAll(keepingCapacity: writeBuffer.capacity <= 1 << 20)
        writeOffset = 0
        return nil
    }

    /// Reads what is available, parses it, and hands complete values on.
    private mutating func readAndDispatch(_ readBuffer: UnsafeMutableRawBufferPointer) -> RedisError? {
        var endError: RedisError?
        reading: for _ in 0 ..< 16 {
            switch socket.read(into: readBuffer) {
            case let .transferred(count):
                parser.append(UnsafeRawBufferPointer(rebasing: readBuffer[..<count]))
                if count == readBuffer.count { continue reading }
            case .wouldBlock:
                break
            case .endOfStream:
                endError = .connectionLost("closed by the server")
            case let .failed(reason):
                endError = .connectionLost(reason)
            }
            break reading
        }
        values.removeAll(keepingCapacity: true)
        do {
            while let value = try parser.next() { values.append(value) }
        } catch {
            endError = .protocolViolation(error)
        }
        var index = 0
        while !becameReady, index < values.count {
            let step = handshake.receive(values[index], into: &writeBuffer)
            index += 1
            switch step {
            case .awaitReply: continue
            case let .failed(error): return error
            case let .ready(version): if let error = ready(version) { return error }
            }
        }
        if index < values.count, let error = driver.deliver(values[index...]) { return error }
        return endError
    }
}
