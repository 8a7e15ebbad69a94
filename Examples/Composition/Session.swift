import WSKit

/// The typed per-connection data every handler of the example sees, created by the upgrade hook.
struct Session: Sendable {
    enum Role: String, Sendable { case member, admin }
    var userId: String
    var role: Role
    var displayName: String
    var jobsStarted = 0
}

/// The plugins the example installs: messaging (`ctx.send`) and RPC (`router.rpc`, `ctx.reply`).
struct ExamplePlugins: MessagingInstalled, RPCInstalled {
    var messaging = MessagingPlugin()
    var rpc = RPCPlugin()
}

/// Accepts `?token=<user>:<role>`; anything else is refused with 401 before the upgrade.
@Sendable func authenticate(_ request: IncomingUpgrade) -> UpgradeDecision<Session> {
    guard let token = request.head.queryValue("token") else { return .refuse(.unauthorized("token required")) }
    let parts = token.split(separator: ":").map(String.init)
    guard parts.count == 2, !parts[0].isEmpty, let role = Session.Role(rawValue: parts[1]) else {
        return .refuse(.unauthorized("malformed token"))
    }
    return .accept(Session(userId: parts[0], role: role, displayName: parts[0]))
}
