import WSKitContract
import WSKitProtocol

/// A typed, resilient WebSocket client for WSKit's wire contract: the same `Message` and `RPC`
/// types as the server, reconnection with backoff, an offline queue, request timeouts and
/// cancellation, token auth and a heartbeat. Thread-safe; every operation is available from async
/// code without callbacks (see `docs/client.md` and ADR 0040).
///
/// ```swift
/// let client = WebSocketClient(configuration: .init(url: try WebSocketURL("ws://localhost:8080/ws")))
/// client.on(ChatMessage.self) { message in print(message.payload.text) }
/// try await client.connect()
/// try client.send(SendText.self, .init(text: "hi"))
/// let user = try await client.request(GetUser.self, .init(id: "42"), timeout: .seconds(5))
/// await client.close()
/// ```
public final class WebSocketClient: Sendable {
    /// The configuration the client was created with.
    public let configuration: WebSocketClientConfiguration
    let core: Locked<ClientCore>
    let dispatcher = MessageDispatcher()
    /// Server topics subscribed with ``subscribe(topic:)`` and their last positions.
    let topicState = Locked(TopicTracker())
    /// Prefix of the correlation ids this client generates (random per client).
    let correlationPrefix: String

    /// Creates a client; it does not connect until `connect()` (or a send, with `autoConnect`).
    public init(configuration: WebSocketClientConfiguration) {
        self.configuration = configuration
        core = Locked(ClientCore(configuration: configuration))
        var generator = SystemRandomNumberGenerator()
        correlationPrefix = String(generator.next() as UInt64, radix: 36)
    }

    /// Creates a client for `url` with the default configuration.
    public convenience init(url: String) throws(WebSocketURLError) {
        self.init(configuration: WebSocketClientConfiguration(url: try WebSocketURL(url)))
    }

    deinit {
        let (connection, pending, observers, task) = core.withLock { core in
            defer {
                core.pending = [:]
                core.observers = [:]
            }
            return (core.connection, core.pending, core.observers, core.reconnectTask)
        }
        task?.cancel()
        connection?.abort()
        let info = WebSocketCloseInfo(cause: .aborted, wasOpen: connection != nil)
        for entry in pending.values { entry.finish(.failure(.connectionClosed(info))) }
        for observer in observers.values { observer.finish() }
        dispatcher.finish()
    }

    // MARK: State

    /// The current state.
    public var state: ClientState { core.withLock { $0.machine.state } }

    /// Whether the client is open.
    public var isConnected: Bool { state == .open }

    /// The subprotocol the server selected on the current (or last) connection, if any.
    public var subprotocol: String? { core.withLock { $0.subprotocol } }

    /// The URL of the current (or last) connection attempt — one of the configuration's
    /// ``WebSocketClientConfiguration/endpoints`` — or `nil` before the first.
    public var currentURL: WebSocketURL? { core.withLock { $0.endpoint } }

    /// How the last connection (or attempt) ended, if one did.
    public var lastClose: WebSocketCloseInfo? { core.withLock { $0.lastClose } }

    /// The state now, then every change, for as long as the stream is iterated. Each access
    /// creates a new stream.
    public var states: AsyncStream<ClientState> {
        let (stream, continuation) = AsyncStream<ClientState>.makeStream(bufferingPolicy: .unbounded)
        let id = core.withLock { core -> UInt64 in
            let id = core.makeID()
            continuation.yield(core.machine.state)
            core.observers[id] = continuation
            return id
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.core.withLock { $0.observers.removeValue(forKey: id) }
        }
        return stream
    }

    // MARK: Connecting and closing

    /// Connects, and returns once the client is open. Idempotent: callers made while connecting
    /// or reconnecting wait for the same connection; when already open, returns at once.
    ///
    /// Waits through reconnect attempts after failures. Throws `.connectionFailed` when the client
    /// gives up (a failure the reconnect policy does not retry, such as HTTP 401, or the attempts
    /// ran out), `.connectionClosed` when `close()` is called meanwhile, and `.cancelled` when the
    /// calling task is cancelled (the client keeps trying in the background).
    public func connect() async throws(WebSocketClientError) {
        let id = core.withLock { $0.makeID() }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Void, WebSocketClientError>, Never>) in
                var after = AfterUnlock()
                core.withLock { core in
                    if Task.isCancelled {
                        continuation.resume(returning: .failure(.cancelled))
                        return
                    }
                    if core.machine.state == .open && !core.machine.connectAfterClose {
                        continuation.resume(returning: .success(()))
                        return
                    }
                    core.connectWaiters[id] = continuation
                    perform(core.machine.connect(), on: &core, after: &after)
                }
                after.run()
            }
        } onCancel: {
            let waiter = core.withLock { $0.connectWaiters.removeValue(forKey: id) }
            waiter?.resume(returning: .failure(.cancelled))
        }
        try result.get()
    }

    /// Closes the connection (closing handshake with `code` and `reason`) and stays closed: no
    /// reconnection until the next `connect()`. Empties the offline queue and fails every pending
    /// request with `.connectionClosed`. Returns once the client is closed; never throws.
    public func close(code: WebSocketCloseCode = .normalClosure, reason: String = "") async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            var after = AfterUnlock()
            core.withLock { core in
                core.closeRequest = (code, reason)
                core.closeWaiters.append(continuation)
                perform(core.machine.close(), on: &core, after: &after)
            }
            after.run()
        }
    }
}

/// Work collected under the client's lock and run after it is released (anything that may call
/// back into the client).
struct AfterUnlock {
    private var actions: [() -> Void] = []

    mutating func callAsFunction(_ action: @escaping () -> Void) { actions.append(action) }

    func run() { for action in actions { action() } }
}
