// expect-error: requires that 'Both' conform to 'PubSubInstalled'
import WSKitPubSub
let runtime = try Router<Void, Both>().build(plugins: Both())
_ = runtime.pubsub.publishNow(Pong.self, to: "room")
