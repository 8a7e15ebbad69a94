/// Size limits an engine enforces on inbound traffic, and the close-handshake timeout.
///
/// Frame and message limits are checked as soon as a frame header reveals the payload length, so
/// an oversized frame fails with 1009 (`.messageTooBig`) before any of its payload is buffered.
public struct WebSocketLimits: Sendable, Hashable {
    /// The largest payload, in bytes, of one inbound frame. Default 1 MiB.
    public var maxFrameSize: Int
    /// The largest inbound message, in bytes, after reassembling its fragments (and, for messages
    /// an extension transforms, after decoding). Default 1 MiB.
    public var maxMessageSize: Int
    /// The most frames one fragmented inbound message may have, counting its first frame. Default 4096.
    public var maxFragments: Int
    /// How long to wait for the peer's close reply after sending a close frame. Default 5 s.
    public var closeTimeout: Duration

    /// Creates limits; every parameter defaults to the value documented on its property.
    public init(
        maxFrameSize: Int = 1 << 20,
        maxMessageSize: Int = 1 << 20,
        maxFragments: Int = 4096,
        closeTimeout: Duration = .seconds(5)
    ) {
        self.maxFrameSize = maxFrameSize
        self.maxMessageSize = maxMessageSize
        self.maxFragments = maxFragments
        self.closeTimeout = closeTimeout
    }

    /// 1 MiB frames and messages, 4096 fragments, a 5-second close timeout.
    public static let `default` = WebSocketLimits()
}
