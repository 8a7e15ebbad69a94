/// What a host — a WebSocket server, a test harness — implements for each connection it hands to
/// a router: the router's only way to reach the wire.
///
/// The router never touches sockets. It calls ``send(text:)`` for every outbound frame and
/// ``close(code:reason:)`` when the application (or an `onOpen` refusal) closes the connection;
/// the host reports what happens on the wire through the ``RouterConnection`` that
/// ``RouterRuntime/open(_:data:)`` returns.
///
/// Threading contract (see `docs/router-hosting.md`):
/// - ``send(text:)`` is called for one connection by one caller at a time (the router serialises
///   outbound frames per connection, in the order they were decided), but possibly from any
///   thread: a handler that awaited work on another actor sends from there. A host that offers an
///   ``executor`` sees calls from its own thread whenever handlers stay on it.
/// - Neither method may call back into the router synchronously (for example
///   ``RouterConnection/didClose(code:reason:)`` from inside ``close(code:reason:)`` is fine only if
///   the host defers it or the call happens outside ``send(text:)``; the router holds no lock while
///   calling ``close(code:reason:)``, but does hold the connection's send lock during ``send(text:)``).
public protocol RouterTransport: AnyObject, Sendable {
    /// The connection's id as the host knows it (for example the value of an `x-client-id`
    /// response header), so that transport, handler contexts and logs agree. `nil` lets the router
    /// generate one (``RouterOptions/makeClientId``).
    var clientId: String? { get }

    /// The executor this connection's handlers should run on — typically the event loop that owns
    /// the socket — or `nil` for Swift's global concurrent executor.
    ///
    /// Handlers start synchronously inside ``RouterConnection/receive(text:)`` and resume on this
    /// executor after they suspend; see ADR 0021.
    var executor: (any TaskExecutor)? { get }

    /// Sends one text frame. `bytes` is UTF-8 JSON, valid only for the duration of the call: copy
    /// it into the connection's output buffer.
    func send(text bytes: UnsafeRawBufferPointer) -> SendResult

    /// Starts closing the connection with a close code and reason. The host reports the end of
    /// the connection later through ``RouterConnection/didClose(code:reason:)``.
    func close(code: UInt16, reason: String)

    /// Sends a WebSocket ping frame (RFC 6455 §5.5.2, empty payload). The host reports the pong —
    /// like any frame the router does not see — with ``ConnectionCore/notePeerActivity()``.
    /// Called under the same rules as ``send(text:)``. Hosts that cannot ping keep the default,
    /// which returns `.dropped`.
    func sendPing() -> SendResult

    /// The host's coarse per-loop timer for this connection (the same object for every
    /// connection of one loop), or `nil` (the default) when the host has none; see
    /// ``RouterTicker``.
    var ticker: (any RouterTicker)? { get }

    /// The W3C `traceparent` the connection's upgrade request carried, if any (handlers read it as
    /// `ctx.traceParent`). Default: none.
    var traceParent: TraceParent? { get }
}

extension RouterTransport {
    /// No host-provided id: the router generates one.
    public var clientId: String? { nil }
    /// No preferred executor: handlers resume on the global concurrent executor.
    public var executor: (any TaskExecutor)? { nil }
    /// No ping frames: `.dropped`.
    public func sendPing() -> SendResult { .dropped }
    /// No coarse timer.
    public var ticker: (any RouterTicker)? { nil }
    /// No trace context.
    public var traceParent: TraceParent? { nil }
}
