import WSKitProtocol
import WSKitRouter
import WSKitServer

/// The router's way to the wire for one server connection: frames go to the `WebSocket`'s corked
/// output; handlers resume on the connection's event loop (ADR 0021).
final class ServerTransport<ConnectionData: Sendable, Plugins: PluginSet>: RouterTransport {
    private let socket: WebSocket<RouterSession<ConnectionData, Plugins>>
    /// The connection's loop's coarse timer, shared by every connection of the loop.
    let ticker: (any RouterTicker)?

    init(_ socket: WebSocket<RouterSession<ConnectionData, Plugins>>, ticker: (any RouterTicker)? = nil) {
        self.socket = socket
        self.ticker = ticker
    }

    var executor: (any TaskExecutor)? { socket.loop }

    func send(text bytes: UnsafeRawBufferPointer) -> SendResult {
        switch socket.send(.text, bytes) {
        case .sent: .sent
        case .buffered: .buffered
        case .dropped: .dropped
        }
    }

    /// An empty ping frame (`WebSocket.ping` hops to the loop when called off it); the pong comes
    /// back through the behavior's `pong` callback as peer activity.
    func sendPing() -> SendResult {
        switch socket.ping() {
        case .sent: .sent
        case .buffered: .buffered
        case .dropped: .dropped
        }
    }

    func close(code: UInt16, reason: String) {
        socket.close(code: WebSocketCloseCode(code), reason: reason)
    }
}
