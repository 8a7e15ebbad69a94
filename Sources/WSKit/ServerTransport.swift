import WSKitProtocol
import WSKitRouter
import WSKitServer

/// The router's way to the wire for one server connection: frames go to the `WebSocket`'s corked
/// output; handlers resume on the connection's event loop (ADR 0021).
///
/// `WebSocketBehavior.hosting` creates one per connection. Applications that write their own
/// behavior (mixing raw WebSocket paths with a router, like `wskit-echo`'s `/bcast`) create it
/// themselves and pass it to `RouterRuntime.open(_:data:)`.
///
/// It is an ``EncodedFrameTransport``: fan-out (pub/sub) hands it frames encoded once, and groups
/// connections by their event loop (one hop per loop).
public final class ServerTransport<Context>: EncodedFrameTransport {
    private let socket: WebSocket<Context>
    /// The connection's id, or `nil` to let the router make one.
    public let clientId: String?
    /// The connection's loop's coarse timer, shared by every connection of the loop.
    public let ticker: (any RouterTicker)?
    /// The `traceparent` of the upgrade request, if it carried a valid one.
    public let traceParent: TraceParent?

    /// A transport for `socket` (call on its loop, from the behavior's `open`). `clientId` is the
    /// connection's id (`nil`: the router makes one); `ticker` is the loop's coarse timer for
    /// plugins that need one (heartbeats).
    public init(
        _ socket: WebSocket<Context>, clientId: String? = nil, ticker: (any RouterTicker)? = nil,
        traceParent: TraceParent? = nil
    ) {
        self.socket = socket
        self.clientId = clientId
        self.ticker = ticker
        self.traceParent = traceParent
    }

    /// The connection's event loop.
    public var executor: (any TaskExecutor)? { socket.loop }

    /// The connection's event loop.
    public var deliveryLoop: (any DeliveryLoop)? { socket.loop }

    /// RFC 6455 server frames, written by the protocol core.
    public var frameEncoder: any FrameEncoder { ServerFrameEncoder() }

    /// Queues pre-encoded frames (`WebSocket.sendEncodedFrames`: same buffer limit, backpressure
    /// policy and per-connection order as every other send; hops when called off the loop).
    public func sendEncodedFrames(_ frames: UnsafeRawBufferPointer) -> SendResult {
        SendResult(socket.sendEncodedFrames(frames))
    }

    /// Sends a text frame.
    public func send(text bytes: UnsafeRawBufferPointer) -> SendResult {
        SendResult(socket.send(.text, bytes))
    }

    /// An empty ping frame (`WebSocket.ping` hops to the loop when called off it); the pong comes
    /// back through the behavior's `pong` callback as peer activity.
    public func sendPing() -> SendResult {
        SendResult(socket.ping())
    }

    /// Starts the closing handshake.
    public func close(code: UInt16, reason: String) {
        socket.close(code: WebSocketCloseCode(code), reason: reason)
    }
}

extension SendResult {
    /// The router's name for what the server's send did.
    init(_ status: SendStatus) {
        switch status {
        case .sent: self = .sent
        case .buffered: self = .buffered
        case .dropped: self = .dropped
        }
    }
}
