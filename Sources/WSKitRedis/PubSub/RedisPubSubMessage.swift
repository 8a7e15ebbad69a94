/// A message received on a subscribed channel or pattern.
public struct RedisPubSubMessage: Sendable, Hashable {
    /// The channel it was published to.
    public var channel: String
    /// The pattern that matched, for messages received through `psubscribe`; `nil` otherwise.
    public var pattern: String?
    /// The published bytes.
    public var payload: [UInt8]

    /// Creates a message.
    public init(channel: String, pattern: String? = nil, payload: [UInt8]) {
        self.channel = channel
        self.pattern = pattern
        self.payload = payload
    }

    /// The payload decoded as UTF-8 (invalid sequences replaced).
    public var string: String { String(decoding: payload, as: UTF8.self) }
}
