import Synchronization

/// A Redis connection for commands: any number of callers may send concurrently, and their
/// commands are pipelined on one TCP connection with replies matched in order.
///
/// The connection has its own I/O thread. It connects in the background, runs the handshake
/// (`HELLO 3` with RESP2 fallback, `AUTH`, `SELECT`), and reconnects with backoff whenever the
/// connection drops. While it is down, commands fail at once with `RedisError.notConnected`
/// (they are never queued), and every command in flight when it dropped fails with
/// `RedisError.connectionLost`: nothing waits forever unless its timeout is `nil`.
///
/// Use `RedisSubscriber` for `SUBSCRIBE`; a subscribe sent here would break reply matching.
public final class RedisConnection: Sendable {
    /// The configuration the connection was created with.
    public let configuration: RedisConfiguration
    let driver: RedisDriver<CommandSession>
    /// The last id given to a `send` or `pipeline` call (its commands' cancellation handle).
    private let lastID = Atomic<UInt64>(0)

    /// Creates a connection and starts connecting in the background; commands fail with
    /// `.notConnected` until `state` is `.connected`.
    public init(configuration: RedisConfiguration) {
        self.configuration = configuration
        driver = RedisDriver(configuration: configuration, session: CommandSession())
        driver.start()
    }

    /// Creates a connection and waits for its first handshake; throws (and closes it) if that
    /// first attempt fails, for example `.authenticationFailed` or `.connectFailed`.
    public static func connect(_ configuration: RedisConfiguration) async throws(RedisError) -> RedisConnection {
        let connection = RedisConnection(configuration: configuration)
        if case let .failure(error) = await connection.driver.firstOutcome() {
            connection.close()
            throw error
        }
        return connection
    }

    deinit { driver.close() }

    /// The current state.
    public var state: RedisConnectionState { driver.connectionState }

    /// State changes, starting with the current state, ending after `.closed`. Each call returns
    /// a new stream; a slow reader keeps only the 64 newest changes.
    public func stateChanges() -> AsyncStream<RedisConnectionState> { driver.stateChanges() }

    /// The protocol negotiated by the current connection, or `nil` while disconnected.
    public var protocolVersion: RedisProtocolVersion? { driver.protocolVersion }

    /// Closes the connection: commands in flight fail with `.closed`, the I/O thread exits.
    public func close() { driver.close() }

    /// Sends one command with the configuration's `commandTimeout`.
    ///
    /// An error reply throws `.server`; other failures are connection errors, `.timeout` or
    /// `.cancelled` (the task was cancelled).
    @discardableResult
    public func send(_ command: [RedisArgument]) async throws(RedisError) -> RedisValue {
        try await send(command, timeout: configuration.commandTimeout)
    }

    /// Sends one command with its own timeout; `nil` waits as long as the connection lives (for
    /// blocking commands such as `BLPOP key 0`).
    @discardableResult
    public func send(_ command: [RedisArgument], timeout: Duration?) async throws(RedisError) -> RedisValue {
        let deadline = redisDeadline(after: timeout)
        let id = lastID.add(1, ordering: .relaxed).newValue
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CommandSession.ReplyContinuation) in
                let refused: RedisError? = driver.submit { session, output, availability in
                    if let error = availability.error { return error }
                    if Task.isCancelled { return .cancelled }
                    RESPEncoder.encodeCommand(command, into: &output)
                    session.enqueue(id: id, slot: .single(continuation), deadline: deadline)
                    return nil
                }
                if let refused { continuation.resume(returning: .failure(refused)) }
            }
        } onCancel: {
            driver.withSession { session, effects in session.cancel(id: id, effects: &effects) }
        }
        return try result.get()
    }

    /// Writes `commands` in one batch and waits for all their replies, with the configuration's
    /// `commandTimeout` for each.
    ///
    /// Throws only when nothing was sent (`.notConnected`, `.closed`, `.cancelled`); otherwise
    /// returns one outcome per command, in order: a reply, a `.server` error reply, or the
    /// failure that command met (timeout, lost connection).
    public func pipeline(_ commands: [[RedisArgument]]) async throws(RedisError) -> [Result<RedisValue, RedisError>] {
        try await pipeline(commands, timeout: configuration.commandTimeout)
    }

    /// `pipeline(_:)` with its own per-command timeout (`nil`: none).
    public func pipeline(_ commands: [[RedisArgument]], timeout: Duration?) async throws(RedisError) -> [Result<RedisValue, RedisError>] {
        guard !commands.isEmpty else { return [] }
        let deadline = redisDeadline(after: timeout)
        let id = lastID.add(1, ordering: .relaxed).newValue
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: PipelineBatch.Continuation) in
                let refused: RedisError? = driver.submit { session, output, availability in
                    if let error = availability.error { return error }
                    if Task.isCancelled { return .cancelled }
                    let batch = PipelineBatch(count: commands.count, continuation: continuation)
                    for (index, command) in commands.enumerated() {
                        RESPEncoder.encodeCommand(command, into: &output)
                        session.enqueue(id: id, slot: .batch(batch, index), deadline: deadline)
                    }
                    return nil
                }
                if let refused { continuation.resume(returning: .failure(refused)) }
            }
        } onCancel: {
            driver.withSession { session, effects in session.cancel(id: id, effects: &effects) }
        }
        return try outcome.get()
    }
}

extension RedisConnection {
    /// `PING`; returns the server's reply text (`PONG`).
    @discardableResult
    public func ping() async throws(RedisError) -> String {
        let reply = try await send(["PING"])
        guard let text = reply.string else { throw .unexpectedReply("PING answered with \(reply)") }
        return text
    }

    /// `PUBLISH channel message`; returns the number of subscribers that received it (on a
    /// cluster: on this node).
    @discardableResult
    public func publish(_ message: RedisArgument, to channel: String) async throws(RedisError) -> Int {
        let reply = try await send(["PUBLISH", RedisArgument(channel), message])
        guard case let .integer(count) = reply else { throw .unexpectedReply("PUBLISH answered with \(reply)") }
        return Int(count)
    }
}
