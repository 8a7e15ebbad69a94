import WSKitRouter

/// One connection as the hub sees it: how to deliver to it (immutable, read without locks by
/// fan-out) and its subscriptions (mutable, guarded by the hub's lock).
package final class TopicMember: @unchecked Sendable {
    /// The connection's id (compared with a message's excluded id).
    package let clientId: String
    /// The transport's encoded-frame capability: the fast path.
    package let frames: (any EncodedFrameTransport)?
    /// The connection, for hosts without ``EncodedFrameTransport`` (text through the router).
    package weak let connection: ConnectionCore?
    /// The mailbox of the connection's loop; `nil` delivers inline from any thread.
    package let mailbox: LoopMailbox?
    /// A snapshot of the connection's typed data (presence).
    let data: @Sendable () -> (any Sendable)?

    // Guarded by the hub's lock.
    /// Topic → where this member sits in the topic's loop group, and when it joined.
    var memberships: [String: Membership] = [:]
    /// Subscribed topics in subscription order.
    var order: [String] = []
    /// Set when the connection closed: no more subscriptions.
    var closed = false

    package init(
        clientId: String, frames: (any EncodedFrameTransport)?, connection: ConnectionCore?, mailbox: LoopMailbox?,
        data: @escaping @Sendable () -> (any Sendable)?
    ) {
        self.clientId = clientId
        self.frames = frames
        self.connection = connection
        self.mailbox = mailbox
        self.data = data
    }

    /// Hands one prepared message to the connection; `false` when it was dropped (closing,
    /// closed, over the buffer limit, or binary for a text-only host).
    @inline(__always)
    func deliver(_ frame: UnsafeRawBufferPointer, _ message: PreparedMessage) -> Bool {
        if let frames { return frames.sendEncodedFrames(frame) != .dropped }
        guard message.kind == .text, let connection else { return false }
        return message.withBody { connection.send(serializedText: $0) } != .dropped
    }
}

/// Where a member sits in a topic.
struct Membership {
    /// Its index in its loop group's member array.
    var index: Int
    /// When it joined (hub-wide order), for presence listings in join order.
    let sequence: UInt64
}

/// The per-connection state the plugin declares: the connection's member, once the plugin's open
/// hook has bound it.
final class PubSubConnectionState: @unchecked Sendable {
    /// Guarded by the hub's lock.
    var member: TopicMember?
}
