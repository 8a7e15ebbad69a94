import Hummingbird
import HummingbirdWebSocket
import Logging
import WSKitHummingbird

/// The benchmark router on Hummingbird 2 at `/`, hummingbird-websocket's own echo at `/echo`.
enum HummingbirdBenchHost {
    static func run(port: Int) async throws {
        let router = Hummingbird.Router(context: BasicWSKitRequestContext.self)
        // One async loop per connection, as Benchmarks/Peers/peer-hummingbird echoes.
        router.ws("/echo") { inbound, outbound, _ in
            for try await message in inbound.messages(maxSize: 1 << 20) {
                switch message {
                case let .text(text): try await outbound.write(.text(text))
                case let .binary(buffer): try await outbound.write(.binary(buffer))
                }
            }
        }
        router.wskit("/", host: try makeBenchRouterHost())
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade(webSocketRouter: router, configuration: .init(http1: .init(idleTimeout: nil))),
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
            logger: Logger(label: "wskit-host-bench")
        )
        try await app.runService()
    }
}
