/// What `WebSocketClient` does with messages sent while it is not open.
public enum OfflineQueuePolicy: Sendable, Hashable {
    /// Queue them; when the queue is full, drop the message being sent (default).
    case dropNewest
    /// Queue them; when the queue is full, drop the oldest queued message.
    case dropOldest
    /// Do not queue: sending while not open fails.
    case off
}
