// peer-hummingbird: a Hummingbird 2 + hummingbird-websocket echo/broadcast server.
//
// Uses the `http1WebSocketUpgrade { request, channel, logger in ... }` form from the
// hummingbird-websocket README (no Router: routing is one path test, so the router would only add
// a middleware pass to the upgrade request). Each connection is handled by one async function
// iterating `inbound.messages(maxSize:)` and answering with `outbound.write`.
//
// Contract (see Benchmarks/README.md): 127.0.0.1, `--port N` or PORT; echo every text and binary
// message on any path but /bcast; on /bcast, every message goes to every /bcast connection.
// Messages and frames up to 16 MiB; no HTTP idle timeout (`idleTimeout: nil`); the library's
// default auto-ping every 30 s is kept (wsload answers pings); logging off (no-op log handler).
// TLS (`--tls-cert PEM --tls-key PEM`): HummingbirdTLS's `.tls(_:tlsConfiguration:)` around the same
// server, NIOSSL's `TLSConfiguration.makeServerConfiguration` with its defaults (TLS 1.2 and 1.3,
// BoringSSL), as the Hummingbird documentation shows.
// permessage-deflate (`--deflate`, for Benchmarks/scripts/deflate-cpu.py): HummingbirdWSCompression's
// `.perMessageDeflate(maxDecompressedFrameSize:)` with its defaults otherwise (context takeover both
// ways, 15-bit windows, zlib's default level and memory level, frames under 256 B sent uncompressed),
// the counterpart of Node `ws`'s `perMessageDeflate: true`. Without the flag no extension is offered.
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWSCompression
import NIOSSL
import HummingbirdWebSocket
import Logging
import PeerSupport
import Synchronization

/// The connections on /bcast, each by its outbound writer.
final class BroadcastGroup: Sendable {
    private let state = Mutex<(next: Int, members: [(id: Int, writer: WebSocketOutboundWriter)])>((0, []))

    func add(_ writer: WebSocketOutboundWriter) -> Int {
        state.withLock { s in
            s.next += 1
            s.members.append((s.next, writer))
            return s.next
        }
    }

    func remove(_ id: Int) { state.withLock { $0.members.removeAll { $0.id == id } } }

    func send(_ frame: WebSocketOutboundWriter.OutboundFrame) async {
        for member in state.withLock({ $0.members }) {
            // A member that is closing fails its write; the others still get the message.
            try? await member.writer.write(frame)
        }
    }
}

// `--deflate` is this peer's own flag (the other Swift peers have no permessage-deflate to turn on).
let deflate = CommandLine.arguments.dropFirst().contains("--deflate")
let options = PeerOptions.parse(CommandLine.arguments.filter { $0 != "--deflate" })
let maxSize = PeerOptions.maxMessageSize
let group = BroadcastGroup()
let logger = Logger(label: "peer-hummingbird", factory: { _ in SwiftLogNoOpLogHandler() })

let webSocketServer: HTTPServerBuilder = .http1WebSocketUpgrade(
    configuration: .init(
        http1: .init(idleTimeout: nil),
        ws: .init(
            maxFrameSize: maxSize,
            extensions: deflate ? [.perMessageDeflate(maxDecompressedFrameSize: maxSize)] : []
        )
    )
) { request, _, _ in
    if PeerOptions.isBroadcast(request.path ?? "/") {
        return .upgrade([:]) { inbound, outbound, _ in
            let id = group.add(outbound)
            defer { group.remove(id) }
            for try await message in inbound.messages(maxSize: maxSize) {
                switch message {
                case .text(let text): await group.send(.text(text))
                case .binary(let buffer): await group.send(.binary(buffer))
                }
            }
        }
    }
    return .upgrade([:]) { inbound, outbound, _ in
        for try await message in inbound.messages(maxSize: maxSize) {
            switch message {
            case .text(let text): try await outbound.write(.text(text))
            case .binary(let buffer): try await outbound.write(.binary(buffer))
            }
        }
    }
}

let server: HTTPServerBuilder
if let tls = options.tls {
    server = try .tls(
        webSocketServer,
        tlsConfiguration: .makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.key, format: .pem))
        )
    )
} else {
    server = webSocketServer
}

let app = Application(
    router: Router(),
    server: server,
    configuration: .init(address: .hostname(PeerOptions.host, port: options.port), serverName: nil),
    logger: logger
)
try await app.runService()
