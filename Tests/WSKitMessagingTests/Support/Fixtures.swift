import WSKitMessaging
import WSKitRPC

// Fixtures of the messaging plugin tests (the router tests have their own: the targets test
// different modules).

/// Per-connection data of the test apps.
struct Session: Sendable, Equatable {
    var userId: String?
    var room: String?
    var hits = 0
}

/// Messaging and RPC.
struct AppPlugins: MessagingInstalled, RPCInstalled {
    var messaging = MessagingPlugin()
    var rpc = RPCPlugin()
}
