import WSKit

/// The typed per-connection data every handler of the example sees, created by the upgrade hook.
public struct Session: Sendable {
    /// What the user may do.
    public enum Role: String, Sendable { case member, admin }
    /// The user, from the token.
    public var userId: String
    /// The user's role, from the token.
    public var role: Role
    /// The name others see (`RENAME` changes it).
    public var displayName: String
    /// Jobs started on this connection (`RESET_JOBS` zeroes it).
    public var jobsStarted = 0

    /// Creates a session.
    public init(userId: String, role: Role, displayName: String, jobsStarted: Int = 0) {
        self.userId = userId
        self.role = role
        self.displayName = displayName
        self.jobsStarted = jobsStarted
    }
}

/// The plugins the example installs: messaging (`ctx.send`) and RPC (`router.rpc`, `ctx.reply`).
public struct ExamplePlugins: MessagingInstalled, RPCInstalled {
    /// The messaging plugin.
    public var messaging = MessagingPlugin()
    /// The RPC plugin.
    public var rpc = RPCPlugin()

    /// Both plugins with their defaults.
    public init() {}
}

/// Accepts `?token=<user>:<role>`; anything else is refused with 401 before the upgrade.
@Sendable public func authenticate(_ request: IncomingUpgrade) -> UpgradeDecision<Session> {
    guard let token = request.head.queryValue("token") else { return .refuse(.unauthorized("token required")) }
    let parts = token.split(separator: ":").map(String.init)
    guard parts.count == 2, !parts[0].isEmpty, let role = Session.Role(rawValue: parts[1]) else {
        return .refuse(.unauthorized("malformed token"))
    }
    return .accept(Session(userId: parts[0], role: role, displayName: parts[0]))
}
