import WSKit

/// RPC: the caller's profile, answered with a `PROFILE` message.
struct GetProfile: RPC {
    typealias Payload = Empty
    typealias Response = Profile.Payload
    static let type = "GET_PROFILE"
    static let responseType = Profile.type
}

/// The reply to `GET_PROFILE`, and the push after a rename.
struct Profile: Message {
    struct Payload: Codable, Sendable, Equatable { var userId: String, displayName: String, role: String }
    static let type = "PROFILE"
}

/// Message: rename yourself. The display name is validated next to its type.
struct Rename: Message {
    struct Payload: Codable, Sendable { @Length(1...32, pattern: "^[A-Za-z0-9 _-]+$") var displayName = "" }
    static let type = "RENAME"
}

/// The profile feature: its own router, merged into the app.
func profileFeature() -> Router<Session, ExamplePlugins> {
    let router = Router<Session, ExamplePlugins>()
    router.rpc(GetProfile.self) { ctx in
        let session = ctx.data
        return .init(userId: session.userId, displayName: session.displayName, role: session.role.rawValue)
    }
    router.on(Rename.self) { ctx in
        ctx.assignData(\.displayName, ctx.payload.displayName)
        let session = ctx.data
        ctx.send(Profile.self, .init(userId: session.userId, displayName: session.displayName, role: session.role.rawValue))
    }
    return router
}
