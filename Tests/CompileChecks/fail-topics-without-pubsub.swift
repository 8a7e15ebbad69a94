// expect-error: requires that 'NoPlugins' conform to 'PubSubInstalled'
import WSKitPubSub
let router = Router<Void, NoPlugins>()
router.onOpen { ctx in try await ctx.topics.subscribe("room") }
