// expect-error: requires that 'MessagingOnly' conform to 'PubSubInstalled'
import WSKitPubSub
let router = Router<Void, MessagingOnly>()
router.on(Ping.self) { ctx in _ = await ctx.publish(Pong.self, to: "room") }
