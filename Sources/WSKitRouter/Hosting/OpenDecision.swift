/// The outcome of opening a connection: the `onOpen` hooks accepted it, or refused it with a close
/// code (the router has then already asked the transport to close).
public enum OpenDecision: Sendable, Hashable {
    /// Every open hook completed; messages are being dispatched.
    case accepted
    /// A hook refused the connection (``ConnectionRefusal``, or 1011 when a hook threw another
    /// error), or the peer went away while the hooks ran.
    case refused(code: UInt16, reason: String)
}
