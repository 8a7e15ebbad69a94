import NIOWebSocket
import Vapor
import WSKitVapor

/// The benchmark router on Vapor 4 at `/`, Vapor's own echo at `/echo`.
enum VaporBenchHost {
    static func run(port: Int) async throws {
        // The arguments are ours, not Vapor's: run its default `serve` command with these settings.
        let app = try await Application.make(Environment(name: "production", arguments: ["wskit-host-bench", "serve"]))
        app.logger.logLevel = .critical
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = port
        app.http.server.configuration.idleTimeout = nil
        // websocket-kit's event-loop callbacks, as Benchmarks/Peers/peer-vapor echoes.
        app.webSocket("echo", maxFrameSize: WebSocketMaxFrameSize(integerLiteral: 1 << 20)) { _, ws in
            ws.onText { ws, text in ws.send(text) }
            ws.onBinary { ws, buffer in ws.send(buffer, opcode: .binary) }
        }
        app.wskit(host: try makeBenchRouterHost())
        do {
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
