import WSKitContract
import WSKitMessaging
import WSKitPubSub
import WSKitRouter
import WSKitValidation

/// Per-connection data of the test routers.
struct Member: Sendable, Equatable {
    var name: String = ""
    var admin = false
}

/// A chat line (payload), the everyday published message.
struct ChatLine: Message {
    struct Payload: Codable, Sendable, Equatable, Validatable {
        @Length(1 ... 100) var text: String = "x"
        init() {}
        init(text: String) { self.text = text }
    }
    static let type = "CHAT"
}

/// A message without payload.
struct Nudge: Message {
    typealias Payload = Empty
    static let type = "NUDGE"
}

/// Client → server: join a topic.
struct Join: Message {
    struct Payload: Codable, Sendable, Equatable { var topic: String }
    static let type = "JOIN"
}

/// Client → server: say something to a topic.
struct Say: Message {
    struct Payload: Codable, Sendable, Equatable {
        var topic: String
        var text: String
        var excludeSelf: Bool?
    }
    static let type = "SAY"
}

/// Server → client: what a publish returned.
struct Published: Message {
    struct Payload: Codable, Sendable, Equatable {
        var matched: Int?
        var error: String?
    }
    static let type = "PUBLISHED"
}

/// Messaging plus pub/sub.
struct ChatPlugins: MessagingInstalled, PubSubInstalled {
    var messaging = MessagingPlugin()
    var pubsub = PubSubPlugin()
}

/// A router with `JOIN` (subscribe) and `SAY` (publish, answered with `PUBLISHED`).
func chatRouter() -> Router<Member, ChatPlugins> {
    let router = Router<Member, ChatPlugins>()
    router.on(Join.self) { ctx in
        do throws(PubSubError) {
            try await ctx.topics.subscribe(ctx.payload.topic)
        } catch {
            ctx.error(error.wireError)
        }
    }
    router.on(Say.self) { ctx in
        let result = await ctx.publish(
            ChatLine.self, .init(text: ctx.payload.text), to: ctx.payload.topic,
            options: PublishOptions(exclude: ctx.payload.excludeSelf.map { $0 ? .sender : .nobody }))
        ctx.send(Published.self, .init(matched: result.matched, error: result.error?.code.rawValue))
    }
    return router
}
