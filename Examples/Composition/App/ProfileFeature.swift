import WSKit

/// RPC: the caller's profile, answered with a `PROFILE` message.
public struct GetProfile: RPC {
    /// No payload.
    public typealias Payload = Empty
    /// The profile.
    public typealias Response = Profile.Payload
    /// The wire type.
    public static let type = "GET_PROFILE"
    /// The reply's wire type.
    public static let responseType = Profile.type
}

/// The reply to `GET_PROFILE`, and the push after a rename.
public struct Profile: Message {
    /// A user's profile.
    public struct Payload: Codable, Sendable, Equatable {
        /// The user id, display name and role.
        public var userId: String, displayName: String, role: String
        /// Creates a profile.
        public init(userId: String, displayName: String, role: String) {
            self.userId = userId
            self.displayName = displayName
            self.role = role
        }
    }
    /// The wire type.
    public static let type = "PROFILE"
}

/// Message: rename yourself. The display name is validated next to its type.
public struct Rename: Message {
    /// The new display name.
    public struct Payload: Codable, Sendable {
        /// 1–32 letters, digits, spaces, `_` or `-`.
        @Length(1...32, pattern: "^[A-Za-z0-9 _-]+$") public var displayName = ""
        /// Creates a payload.
        public init(displayName: String = "") { self.displayName = displayName }
    }
    /// The wire type.
    public static let type = "RENAME"
}

/// The profile feature: its own router, merged into the app.
public func profileFeature() -> Router<Session, ExamplePlugins> {
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
