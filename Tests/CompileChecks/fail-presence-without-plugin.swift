// expect-error: requires that 'MessagingOnly' conform to 'PresenceInstalled'
import WSKitPresence
let router = Router<Void, MessagingOnly>()
router.onOpen { ctx in try await ctx.presence.track("lobby", key: "ada") }
