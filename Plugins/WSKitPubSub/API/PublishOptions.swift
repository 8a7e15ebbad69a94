import WSKitContract

/// How a message is published: extra meta, who must not receive it, and whether to wait for the
/// adapter. Every publish entry point (`ctx.publish`, `room.broadcast`, `runtime.pubsub.publish`,
/// `publishNow`) takes one.
///
/// ```swift
/// await ctx.publish(Joined.self, .init(name: name), to: "room:1", options: .excludingSelf)
/// await runtime.pubsub.publish(Notice.self, notice, to: "all", options: .excluding(clientId))
/// await ctx.publish(Cursor.self, position, to: "doc:7", options: .init(exclude: .sender, mode: .immediate))
/// ```
public struct PublishOptions: Sendable, Hashable {
    /// Added to the message's meta (`timestamp` is the server's; `correlationId` and
    /// `excludeClientId` are never sent).
    public var meta: JSONObject
    /// Who must not receive it; `nil` is the entry point's default (``PubSubPlugin/excludeSelfByDefault``
    /// for `ctx.publish`, nobody elsewhere).
    public var exclude: PublishExclusion?
    /// Whether an `async` publish waits for the adapter (``PublishMode``).
    public var mode: PublishMode

    /// Creates options; the defaults publish to everyone and wait for the adapter.
    public init(meta: JSONObject = [:], exclude: PublishExclusion? = nil, mode: PublishMode = .acknowledged) {
        self.meta = meta
        self.exclude = exclude
        self.mode = mode
    }

    /// Skip the publishing connection.
    public static var excludingSelf: PublishOptions { PublishOptions(exclude: .sender) }

    /// Skip the connection `clientId` (on every instance).
    public static func excluding(_ clientId: String) -> PublishOptions { PublishOptions(exclude: .client(clientId)) }

    /// Do not wait for the adapter (``PublishMode/immediate``).
    public static var immediate: PublishOptions { PublishOptions(mode: .immediate) }

    /// The connection id to skip, given the publishing connection (if any) and whether the entry
    /// point excludes it by default.
    @inlinable
    func excludedClientId(sender: String?, excludesSenderByDefault: Bool) -> String? {
        switch exclude {
        case nil: excludesSenderByDefault ? sender : nil
        case .nobody?: nil
        case .sender?: sender
        case let .client(clientId)?: clientId
        }
    }
}
