// wskit-hummingbird-example: the composition example's app — the same feature routers, plugins,
// upgrade hook and wire protocol — hosted by Hummingbird 2 instead of WSKit's own server.
//
//   swift run --package-path Integrations wskit-hummingbird-example [--port N]   (default 8082)
//   ws://127.0.0.1:8082/?token=ada:admin
import Hummingbird
import HummingbirdWebSocket
import WSKitCompositionApp
import WSKitHostAdapter
import WSKitHummingbird

var port = 8082
if let index = CommandLine.arguments.firstIndex(of: "--port"), index + 1 < CommandLine.arguments.count,
   let value = Int(CommandLine.arguments[index + 1]) {
    port = value
}
let router = Router(context: BasicWSKitRequestContext.self)
router.get("/health") { _, _ in "ok" }
router.wskit("/", host: RouterHost(router: try makeApp(log: { print($0) }), upgrade: authenticate))
let app = Application(
    router: router,
    server: .http1WebSocketUpgrade(webSocketRouter: router),
    configuration: .init(address: .hostname("127.0.0.1", port: port))
)
try await app.runService()
