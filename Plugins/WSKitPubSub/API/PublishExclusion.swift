/// Who must not receive a publish (``PublishOptions/exclude``). Matched by connection id on every
/// instance.
public enum PublishExclusion: Sendable, Hashable {
    /// Every subscriber receives it.
    case nobody
    /// The publishing connection does not (nobody is skipped for a server-side publish, which has
    /// no publishing connection).
    case sender
    /// The connection with this id does not.
    case client(String)
}
