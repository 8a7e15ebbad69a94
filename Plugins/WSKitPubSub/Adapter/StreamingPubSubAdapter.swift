/// A broker adapter that keeps topic streams in the broker, shared by every instance (ADR 0052):
/// offsets, epochs and history live there, so a client that reconnects to another instance
/// recovers from the same stream.
///
/// For a topic with a ``HistoryRule`` the hub publishes with ``publish(_:appendingTo:)`` /
/// ``post(_:appendingTo:)`` instead of ``PubSubAdapter/publish(_:)``: appending to the history
/// and publishing are **one atomic step** in the broker, and every instance (the publisher
/// included, through loopback) receives the message with its position through
/// ``PubSubIngress/deliver(_:at:)``, in offset order. A recovering subscribe reads
/// ``history(of:rule:)``. The epoch changes whenever the broker lost the stream (its keys
/// expired or were flushed).
public protocol StreamingPubSubAdapter: PubSubAdapter {
    /// Appends `message` to its topic's stream (trimmed to `rule`) and publishes it, atomically;
    /// waits for the broker. A failure means it was neither kept nor delivered.
    func publish(_ message: PubSubMessage, appendingTo rule: HistoryRule) async -> Result<PubSubAcknowledgement, PubSubAdapterError>

    /// ``publish(_:appendingTo:)`` without waiting (call order kept); failures known at once are
    /// returned, later ones reported through ``PubSubIngress/report(_:)``.
    func post(_ message: PubSubMessage, appendingTo rule: HistoryRule) -> Result<Void, PubSubAdapterError>

    /// The stream's epoch and top offset and the publications it keeps after `position` (oldest
    /// first, offsets contiguous; expired ones left out). When `position` is `nil`, of another
    /// epoch, or older than the history, only the latest kept publication is returned (for the
    /// "latest value" mode), so the reply stays small. Creates the stream (a new epoch) when the
    /// broker has none.
    ///
    /// In the same atomic step it publishes a sync marker with `syncToken` on the topic's
    /// channel, which every instance with interest receives through
    /// ``PubSubIngress/synced(topic:token:)`` after every publication the history contains and
    /// before any later one: the point where a recovering subscription switches to live.
    func history(
        of topic: String, after position: StreamPosition?, rule: HistoryRule, syncToken: String
    ) async -> Result<StreamHistory, PubSubAdapterError>
}

/// A stream as a broker keeps it (``StreamingPubSubAdapter/history(of:rule:)``).
public struct StreamHistory: Sendable {
    /// One kept publication.
    public struct Entry: Sendable {
        /// Its offset.
        public var offset: UInt64
        /// The message as published (not yet stamped with its position).
        public var message: PubSubMessage

        /// Creates an entry.
        public init(offset: UInt64, message: PubSubMessage) {
            self.offset = offset
            self.message = message
        }
    }

    /// The stream's epoch.
    public var epoch: String
    /// The offset of the last publication (0: none yet).
    public var top: UInt64
    /// The kept publications, oldest first, offsets contiguous.
    public var entries: [Entry]

    /// Creates a history.
    public init(epoch: String, top: UInt64, entries: [Entry]) {
        self.epoch = epoch
        self.top = top
        self.entries = entries
    }
}
