// wskit-composition-example: two feature routers merged into one app, served by the epoll server.
//
//   swift run wskit-composition-example [--port N]        (default 8081)
//   ws://127.0.0.1:8081/?token=ada:admin
import WSKit
import WSKitCompositionApp
import WSKitDescription

var port = 8081
if let index = CommandLine.arguments.firstIndex(of: "--port"), index + 1 < CommandLine.arguments.count,
   let value = Int(CommandLine.arguments[index + 1]) {
    port = value
}
let logger = StandardErrorLogger(minimumLevel: .info)
let router = try makeRouter(log: { logger(.info, $0) })
// The app's AsyncAPI document, served at GET /asyncapi.json and /asyncapi.yaml (opt-in).
let document = AsyncAPIDocument(APIDescription(title: "Composition example", version: "1.0.0", router: router, pushes: [Profile.self]))
let server = WebSocketServer(
    configuration: ServerConfiguration(port: port, logger: logger),
    router: try router.build(plugins: ExamplePlugins()),
    http: document.httpHandler(),
    upgrade: authenticate
)
try server.run()
