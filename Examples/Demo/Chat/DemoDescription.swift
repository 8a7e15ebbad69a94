import WSKit
import WSKitDescription

/// What the demo speaks, derived from its Swift types (ADR 0100): the router's events and RPCs
/// and the pushes it broadcasts. From it the demo serves its AsyncAPI document
/// (`/asyncapi.json`, `/asyncapi.yaml`) and the generated client files the page loads
/// (`/typed-client.js`, with `/app.d.ts` and `/typed-client.d.ts` for editors), over the stock
/// runtime `/wskit.js`.
public enum DemoDescription {
    /// The pushes the router broadcasts to a room.
    public static let pushes: [any Message.Type] = [UserJoined.self, UserLeft.self, RoomMessage.self, HistoryCleared.self]

    /// The description of `router` (the demo's, before `build`).
    public static func make(router: Router<ChatSession, DemoPlugins>) -> APIDescription {
        APIDescription(title: "WSKit demo chat", version: "1.0.0", router: router, pushes: pushes)
    }

    /// The generated client files by URL path.
    public static func clientFiles(_ description: APIDescription) -> [String: [UInt8]] {
        [
            "/typed-client.js": Array(TypeScriptClient.module(description, clientModule: "./wskit.js").utf8),
            "/typed-client.d.ts": Array(TypeScriptClient.declarations(declarationsModule: "./app", clientModule: "./wskit.js").utf8),
            "/app.d.ts": Array(TypeScriptDeclarations.generate(description).utf8),
        ]
    }
}
