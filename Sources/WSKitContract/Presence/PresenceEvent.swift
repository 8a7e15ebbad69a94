/// What applying presence state or a diff changed, per key, derived the Phoenix way: a key with
/// no metas before a join **came online**; a key left with no metas after a leave **went
/// offline**. A meta update (leave of the old ref, join of the new) is neither.
public enum PresenceEvent: Sendable, Hashable {
    /// Metas joined `key`; `cameOnline` when it had none before.
    case join(key: String, cameOnline: Bool, joined: [PresenceMeta])
    /// Metas left `key`; `wentOffline` when none remain.
    case leave(key: String, wentOffline: Bool, left: [PresenceMeta])

    /// The key the event is about.
    public var key: String {
        switch self {
        case let .join(key, _, _), let .leave(key, _, _): key
        }
    }
}
