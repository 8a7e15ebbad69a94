import NIOCore
import NIOHTTP1
import NIOWebSocket
import Vapor
import WebSocketKit
import WSKitHostAdapter
import WSKitProtocol
import WSKitRouter
import WSKitServer

extension RoutesBuilder {
    /// Serves a WSKit router on `path`: the upgrade hook of `host` decides (a refusal answers with
    /// its status and body, no upgrade), each accepted connection is opened on the router with its
    /// typed data, and its messages are dispatched and its frames written — the same wire protocol
    /// as WSKit's own server.
    ///
    /// ```swift
    /// let app = try await Application.make()
    /// app.wskit("ws", host: RouterHost(router: try makeApp(), upgrade: authenticate))
    /// try await app.execute()
    /// ```
    ///
    /// websocket-kit sends no close reason: the router's close code reaches the client, its reason
    /// does not.
    @discardableResult
    public func wskit<ConnectionData: Sendable, Plugins: PluginSet>(
        _ path: PathComponent...,
        host: RouterHost<ConnectionData, Plugins>,
        maxFrameSize: Int = 1 << 20
    ) -> Route {
        on(.GET, path) { request -> Response in
            let incoming = IncomingUpgrade(
                method: request.method.rawValue,
                target: request.url.string,
                headers: request.headers.map { (name: $0.name, value: $0.value) },
                remoteAddress: request.remoteAddress?.ipAddress ?? "")
            switch host.decide(incoming) {
            case let .refuse(refusal):
                var headers = NIOHTTP1.HTTPHeaders()
                for field in refusal.headers { headers.add(name: field.name, value: field.value) }
                return Response(
                    status: HTTPResponseStatus(statusCode: refusal.status.code, reasonPhrase: refusal.status.reasonPhrase),
                    headers: headers, body: .init(data: Data(refusal.body)))
            case let .accept(accepted):
                var headers = NIOHTTP1.HTTPHeaders()
                for field in accepted.headers { headers.add(name: field.name, value: field.value) }
                let response = Response(status: .switchingProtocols)
                response.upgrader = WebSocketUpgrader(
                    maxFrameSize: WebSocketMaxFrameSize(integerLiteral: maxFrameSize),
                    shouldUpgrade: { [headers] in request.eventLoop.makeSucceededFuture(headers) },
                    onUpgrade: { socket in serve(socket, accepted: accepted, host: host) })
                return response
            }
        }
    }
}

/// Wires one upgraded socket to the router: websocket-kit's callbacks (on the socket's event
/// loop, one at a time) feed the connection; a writer task drains its frames in order.
private func serve<ConnectionData: Sendable, Plugins: PluginSet>(
    _ socket: WebSocketKit.WebSocket, accepted: AcceptedUpgrade<ConnectionData>, host: RouterHost<ConnectionData, Plugins>
) {
    let (connection, transport) = host.open(accepted)
    socket.onText { _, text in
        var text = text
        text.withUTF8 { connection.receive(text: UnsafeRawBufferPointer($0)) }
    }
    socket.onBinary { _, buffer in
        buffer.withUnsafeReadableBytes { connection.receive(binary: $0) }
    }
    socket.onPing { _, _ in connection.notePeerActivity() }
    socket.onPong { _, _ in connection.notePeerActivity() }
    socket.onClose.whenComplete { _ in
        let code = socket.closeCode.map { UInt16(webSocketErrorCode: $0) } ?? 1006
        connection.didClose(code: code, reason: "")
        transport.finish()
    }
    Task {
        for await frame in transport.frames {
            switch frame {
            case let .text(bytes):
                do {
                    try await socket.send(raw: bytes, opcode: .text)
                } catch {
                    transport.finish()
                    return
                }
                transport.didWrite(byteCount: bytes.count)
            case .ping:
                socket.sendPing(promise: nil)
            case let .close(code, _):
                try? await socket.close(code: WebSocketErrorCode(codeNumber: Int(code)))
                return
            }
        }
    }
}
