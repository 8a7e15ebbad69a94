// expect: compiles
import WSKitPubSub
struct Chat: MessagingInstalled, PubSubInstalled { var messaging = MessagingPlugin(); var pubsub = PubSubPlugin() }
let router = Router<Void, Chat>()
router.on(Ping.self) { ctx in
    try await ctx.topics.subscribe("room")
    _ = await ctx.publish(Pong.self, to: "room", options: .excludingSelf)
    _ = ctx.room("room").peers()
}
router.onClose { ctx in _ = await ctx.room("room").broadcast(Pong.self, options: .excludingSelf) }
let runtime = try router.build(plugins: Chat())
_ = runtime.pubsub.publishNow(Pong.self, to: "room")
