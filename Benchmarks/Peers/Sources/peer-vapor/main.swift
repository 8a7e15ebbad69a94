// peer-vapor: a Vapor 4 WebSocket echo/broadcast server, written the way a Vapor user would write it.
//
// Choice: a plain Vapor `Application` with `app.webSocket(...)` routes and websocket-kit's
// event-loop callbacks (`ws.onText` / `ws.onBinary` answering with `ws.send`). That is Vapor's
// documented WebSocket API and also its fastest: the callbacks run on the connection's NIO event
// loop with no Swift-concurrency hop per message (the `async` variants of `onUpgrade`/`onText`
// add a Task per connection and an executor hop per message). Driving websocket-kit by hand on a
// bare NIO bootstrap would skip Vapor's HTTP/routing layer, but that only touches the upgrade
// request, not the per-message path, and is not what a Vapor user ships.
//
// Contract (see Benchmarks/README.md): 127.0.0.1, `--port N` or PORT; echo every text and binary
// message on any path but /bcast; on /bcast, every message goes to every /bcast connection.
// Frames up to 16 MiB (websocket-kit aggregates fragments with no further limit), no idle timeout
// (Vapor has none unless configured; websocket-kit pings only if `pingInterval` is set), logging off.
// TLS (`--tls-cert PEM --tls-key PEM`): Vapor's own server TLS, NIOSSL's
// `TLSConfiguration.makeServerConfiguration` with its defaults (TLS 1.2 and 1.3, BoringSSL) —
// what a Vapor user serving wss:// without a proxy writes.
import Logging
import NIOSSL
import NIOWebSocket
import PeerSupport
import Synchronization
import Vapor

/// The connections on /bcast. Sends read a copy-on-write snapshot, so the lock is held only to
/// copy an array reference.
final class BroadcastGroup: Sendable {
    private let members = Mutex<[WebSocket]>([])

    func add(_ ws: WebSocket) { members.withLock { $0.append(ws) } }
    func remove(_ ws: WebSocket) { members.withLock { $0.removeAll { $0 === ws } } }

    /// Sends one frame to every member; the payload buffer is shared, not copied, per member.
    func send(_ buffer: ByteBuffer, opcode: WebSocketOpcode) {
        for ws in members.withLock({ $0 }) {
            ws.send(buffer, opcode: opcode)
        }
    }
}

let options = PeerOptions.parse()
LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }

// Arguments are ours, not Vapor's: run the default `serve` command with the settings below.
let app = try await Application.make(Environment(name: "production", arguments: ["peer-vapor", "serve"]))
app.logger.logLevel = .critical
app.http.server.configuration.hostname = PeerOptions.host
app.http.server.configuration.port = options.port
app.http.server.configuration.idleTimeout = nil
if let tls = options.tls {
    app.http.server.configuration.tlsConfiguration = .makeServerConfiguration(
        certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certificate).map { .certificate($0) },
        privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.key, format: .pem))
    )
}

let maxFrameSize = WebSocketMaxFrameSize(integerLiteral: PeerOptions.maxMessageSize)
let group = BroadcastGroup()

@Sendable func accept(_ req: Request) -> EventLoopFuture<HTTPHeaders?> {
    req.eventLoop.makeSucceededFuture([:])
}

@Sendable func echo(_ req: Request, _ ws: WebSocket) {
    ws.onText { ws, text in ws.send(text) }
    ws.onBinary { ws, buffer in ws.send(buffer, opcode: .binary) }
}

@Sendable func broadcast(_ req: Request, _ ws: WebSocket) {
    group.add(ws)
    ws.onClose.whenComplete { _ in group.remove(ws) }
    ws.onText { _, text in group.send(ByteBuffer(string: text), opcode: .text) }
    ws.onBinary { _, buffer in group.send(buffer, opcode: .binary) }
}

app.webSocket("bcast", maxFrameSize: maxFrameSize, shouldUpgrade: accept, onUpgrade: broadcast)
app.webSocket([], maxFrameSize: maxFrameSize, shouldUpgrade: accept, onUpgrade: echo)
app.webSocket("**", maxFrameSize: maxFrameSize, shouldUpgrade: accept, onUpgrade: echo)

do {
    try await app.execute()
} catch {
    try? await app.asyncShutdown()
    throw error
}
try await app.asyncShutdown()
