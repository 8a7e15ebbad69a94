/// Why the work for an inbound message was cancelled.
public enum CancellationReason: Sendable, Hashable {
    /// The client sent `$ws:abort` for the RPC (answered `CANCELLED`).
    case aborted
    /// The RPC's deadline (`meta.timeoutMs`) passed (answered `DEADLINE_EXCEEDED`).
    case deadlineExceeded
    /// The connection closed (nothing can be answered).
    case disconnected
    /// A plugin's own reason.
    case other(String)
}
