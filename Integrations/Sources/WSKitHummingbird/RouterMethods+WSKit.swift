import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import WSKitHostAdapter
import WSKitProtocol
import WSKitRouter
import WSKitServer

extension RouterMethods {
    /// Serves a WSKit router on `path`: the upgrade hook of `host` decides, each accepted
    /// connection is opened on the router with its typed data, and its messages are dispatched and
    /// its frames written — the same wire protocol as WSKit's own server.
    ///
    /// A refused upgrade is answered by hummingbird-websocket itself, with an empty 400 whatever
    /// the hook's status (2.8.1 writes 400 for every failed upgrade). Pass the same router to
    /// `Application(router:)` and to `.http1WebSocketUpgrade(webSocketRouter:)` so that a plain
    /// HTTP request to `path` gets the hook's refusal with its status and body.
    ///
    /// ```swift
    /// let router = Router(context: BasicWSKitRequestContext.self)
    /// router.wskit("/ws", host: RouterHost(router: try makeApp(), upgrade: authenticate))
    /// let app = Application(router: router, server: .http1WebSocketUpgrade(webSocketRouter: router))
    /// ```
    @discardableResult
    public func wskit<ConnectionData: Sendable, Plugins: PluginSet>(
        _ path: RouterPath = "",
        host: RouterHost<ConnectionData, Plugins>,
        maxMessageSize: Int = 1 << 20
    ) -> Self where Context: WSKitRequestContext {
        ws(path, shouldUpgrade: { request, context in
            let remote = (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress ?? ""
            let incoming = IncomingUpgrade(
                method: request.method.rawValue,
                target: request.uri.description,
                headers: request.headers.map { (name: $0.name.canonicalName, value: $0.value) },
                remoteAddress: remote)
            switch host.decide(incoming) {
            case let .accept(accepted):
                context.wskitUpgrade.store(accepted)
                var fields = HTTPFields()
                for field in accepted.headers {
                    if let name = HTTPField.Name(field.name) { fields.append(HTTPField(name: name, value: field.value)) }
                }
                return .upgrade(fields)
            case let .refuse(response):
                throw HTTPError(
                    HTTPTypes.HTTPResponse.Status(code: response.status.code, reasonPhrase: response.status.reasonPhrase),
                    message: String(decoding: response.body, as: UTF8.self))
            }
        }, onUpgrade: { inbound, outbound, context in
            guard let accepted = context.requestContext.wskitUpgrade.take(AcceptedUpgrade<ConnectionData>.self) else {
                try await outbound.close(.unexpectedServerError, reason: nil)
                return
            }
            let (connection, transport) = host.open(accepted)
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    // A failed write (the peer is gone): stop queueing; the reader sees the end.
                    do { try await writeFrames(of: transport, to: outbound) } catch { transport.finish() }
                }
                var code: UInt16 = 1005
                do {
                    for try await message in inbound.messages(maxSize: maxMessageSize) {
                        switch message {
                        case var .text(text): text.withUTF8 { connection.receive(text: UnsafeRawBufferPointer($0)) }
                        case let .binary(buffer): buffer.withUnsafeReadableBytes { connection.receive(binary: $0) }
                        }
                    }
                } catch {
                    code = 1006
                }
                connection.didClose(code: code, reason: "")
                transport.finish()
                await group.waitForAll()
            }
        })
    }
}

/// Drains the router's frames onto Hummingbird's writer, in order, awaiting each write.
private func writeFrames(of transport: HostedTransport, to outbound: WebSocketOutboundWriter) async throws {
    for await frame in transport.frames {
        switch frame {
        case let .text(bytes):
            let buffer = ByteBuffer(bytes: bytes)
            try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .text, data: buffer)))
            transport.didWrite(byteCount: bytes.count)
        case .ping:
            try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer())))
        case let .close(code, reason):
            try await outbound.close(WebSocketErrorCode(codeNumber: Int(code)), reason: reason)
            return
        }
    }
}
