/// An optional capability of a ``RouterTransport``: it accepts bytes that already form complete
/// WebSocket frames, and tells which event loop owns its connection.
///
/// Fan-out (the pub/sub plugin) uses it to encode a published message **once** — JSON envelope
/// serialised once, WebSocket frame encoded once — and hand the same bytes to every subscriber,
/// with one hop per loop instead of one per subscriber. A host that does not adopt it still works:
/// fan-out then sends each subscriber the serialised text through ``RouterTransport/send(text:)``.
///
/// The host keeps its usual rules for these frames: they count against the connection's buffer
/// limit and follow its backpressure policy, and they keep their order with the connection's other
/// frames (see `docs/router-hosting.md`).
public protocol EncodedFrameTransport: RouterTransport {
    /// The loop that owns the connection: transports that return the same object are served
    /// together. `nil`: the transport accepts ``sendEncodedFrames(_:)`` from any thread at any
    /// time, and fan-out calls it inline.
    var deliveryLoop: (any DeliveryLoop)? { get }

    /// How this host writes frames: fan-out encodes a message once with it (the same encoder for
    /// every connection of the host; a constant is fine).
    var frameEncoder: any FrameEncoder { get }

    /// Queues bytes that are one or more complete, unmasked (server-to-client) WebSocket frames.
    /// Called on ``deliveryLoop`` when there is one (a call from elsewhere must still work:
    /// copy and hop). `frames` is valid only during the call.
    ///
    /// Returns `.sent`, `.buffered` (behind a backlog) or `.dropped` (closing, closed, or over the
    /// buffer limit: the backpressure policy applied).
    func sendEncodedFrames(_ frames: UnsafeRawBufferPointer) -> SendResult
}

/// A serial context that owns connections — a server's event loop — as fan-out sees it.
///
/// Fan-out from any thread runs the deliveries for one loop's subscribers as one unit of work on
/// that loop (``execute(_:)``), or inline when it already runs there (``inEventLoop``).
public protocol DeliveryLoop: AnyObject, Sendable {
    /// Whether the caller runs on this loop's thread.
    var inEventLoop: Bool { get }

    /// Runs `work` on the loop's thread, after work other threads submitted before it (FIFO among
    /// calls from other threads; a call made on the loop itself may run in the loop's current
    /// drain, ahead of them). Fan-out orders its own deliveries on top of this.
    func execute(_ work: @escaping @Sendable () -> Void)
}
