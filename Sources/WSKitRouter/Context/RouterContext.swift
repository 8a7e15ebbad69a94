import WSKitContract

/// What every context — message, RPC, middleware, open and close — offers: the connection, its
/// typed data, the plugin set, the clock, closing, and errors. Plugins add capabilities to it in
/// constrained extensions (`where Plugins: MessagingInstalled`), so they exist exactly where the
/// plugin is installed (ADR 0020).
public protocol RouterContext<ConnectionData, Plugins>: Sendable {
    /// The application's per-connection data type.
    associatedtype ConnectionData: Sendable
    /// The router's plugin set.
    associatedtype Plugins: PluginSet

    /// The connection the context belongs to.
    var connection: RouterConnection<ConnectionData, Plugins> { get }
    /// The inbound message being handled; `nil` in `onOpen` and `onClose`.
    var exchange: MessageExchange? { get }
}

extension RouterContext {
    /// The connection's id (the host's, or a generated UUID v7).
    @inlinable public var clientId: String { connection.clientId }

    /// The W3C trace context (`traceparent`) of the connection's upgrade request, if any: the
    /// parent for spans this handler starts.
    public var traceParent: TraceParent? { connection.traceParent }

    /// A snapshot of the connection's data.
    public var data: ConnectionData { connection.data }

    /// Replaces the connection's data.
    public func assignData(_ data: ConnectionData) { connection.assignData(data) }

    /// Sets one field of the connection's data.
    public func assignData<Value: Sendable>(_ keyPath: WritableKeyPath<ConnectionData, Value>, _ value: Value) {
        connection.updateData { $0[keyPath: keyPath] = value }
    }

    /// Mutates the connection's data atomically (no other handler of the connection sees a
    /// partial update) and returns what `body` returns.
    public func updateData<Result: Sendable, Failure: Error>(
        _ body: (inout ConnectionData) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try connection.updateData(body)
    }

    /// The installed plugins (their configuration).
    public var plugins: Plugins { connection.runtime.plugins }

    /// The router's clock; wait with `clock.sleep(for:)` so tests control time.
    public var clock: any RouterClock { connection.clock }

    /// Closes the connection (1000 by default). Later sends are dropped and handlers still
    /// running are cancelled once the host reports the close.
    public func close(code: UInt16 = 1000, reason: String = "") {
        connection.close(code: code, reason: reason)
    }

    /// Sends an error to the client: `RPC_ERROR` (terminal, once) in an RPC, `ERROR` otherwise.
    /// `message` defaults to the code's description; retry hints follow the code's rules.
    @discardableResult
    public func error(
        _ code: ErrorCode, _ message: String? = nil, details: JSONObject? = nil,
        retryable: Bool? = nil, retryAfterMs: Int? = nil
    ) -> SendResult {
        error(WireError(code: code, message: message, details: details, retryable: retryable, retryAfterMs: retryAfterMs))
    }

    /// Sends an error to the client: `RPC_ERROR` (terminal, once) in an RPC, `ERROR` otherwise.
    @discardableResult
    public func error(_ error: WireError) -> SendResult {
        connection.sendError(error, for: exchange)
    }

    /// Sends an application error that maps itself to a wire error (``WireErrorConvertible``):
    /// `ctx.error(PollError.closed)` sends `PollError.closed.wireError`.
    @discardableResult
    public func error(_ error: some WireErrorConvertible) -> SendResult {
        connection.sendError(error.wireError, for: exchange)
    }
}
