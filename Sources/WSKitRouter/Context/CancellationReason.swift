/// Why the work for an inbound message was cancelled.
public enum CancellationReason: Sendable, Hashable {
    /// The client sent `$ws:abort` for the RPC.
    case aborted
    /// The RPC's deadline (`meta.timeoutMs`) passed.
    case deadlineExceeded
    /// The connection closed.
    case disconnected
    /// A plugin's own reason.
    case other(String)
}
