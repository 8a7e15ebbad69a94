// wskit-vapor-example: the composition example's app — the same feature routers, plugins, upgrade
// hook and wire protocol — hosted by Vapor 4 instead of WSKit's own server.
//
//   swift run --package-path Integrations wskit-vapor-example [--port N]   (default 8083)
//   ws://127.0.0.1:8083/?token=ada:admin
import Vapor
import WSKitCompositionApp
import WSKitHostAdapter
import WSKitVapor

var port = 8083
if let index = CommandLine.arguments.firstIndex(of: "--port"), index + 1 < CommandLine.arguments.count,
   let value = Int(CommandLine.arguments[index + 1]) {
    port = value
}
// Vapor's own command line is not used: the example takes only `--port`.
let app = try await Application.make(Environment(name: "production", arguments: ["wskit-vapor-example"]))
app.http.server.configuration.hostname = "127.0.0.1"
app.http.server.configuration.port = port
app.get("health") { _ in "ok" }
app.wskit(host: RouterHost(router: try makeApp(log: { print($0) }), upgrade: authenticate))
do {
    try await app.execute()
} catch {
    try? await app.asyncShutdown()
    throw error
}
try await app.asyncShutdown()
