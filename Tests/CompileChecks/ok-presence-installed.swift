import WSKitPresence
struct WithPresence: MessagingInstalled, PresenceInstalled { var messaging = MessagingPlugin(); var presence = PresencePlugin() }
let router = Router<Void, WithPresence>()
router.onOpen { ctx in
    try await ctx.presence.track("lobby", key: "ada", meta: ["device": "web"])
    try await ctx.presence.subscribe("lobby")
}
