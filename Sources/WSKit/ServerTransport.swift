import WSKitProtocol
import WSKitRouter
import WSKitServer

/// The router's way to the wire for one server connection: frames go to the `WebSocket`'s corked
/// output; handlers resume on the connection's event loop (ADR 0021).
final class ServerTransport<ConnectionData: Sendable, Plugins: PluginSet>: RouterTransport {
    private let socket: WebSocket<RouterSession<ConnectionData, Plugins>>

    init(_ socket: WebSocket<RouterSession<ConnectionData, Plugins>>) {
        self.socket = socket
    }

    var executor: (any TaskExecutor)? { socket.loop }

    func send(text bytes: UnsafeRawBufferPointer) -> SendResult {
        switch socket.send(.text, bytes) {
        case .sent: .sent
        case .buffered: .buffered
        case .dropped: .dropped
        }
    }

    func close(code: UInt16, reason: String) {
        socket.close(code: WebSocketCloseCode(code), reason: reason)
    }
}
