/// The reserved message types and field names of presence on the wire (`docs/wire-protocol.md`,
/// "Presence"; ADR 0062).
///
/// - `$ws:presence_state` (server → client): the whole presence of one room, sent once when a
///   connection subscribes to it; `meta.topic` names the room, the payload is
///   `{"<key>": {"metas": [<meta>, …]}, …}`.
/// - `$ws:presence_diff` (server → client): what changed since, `{"joins": {…}, "leaves": {…}}`
///   in the same shape, carrying only the changed metas.
///
/// Each meta is the application's object plus `"$ref"` (unique per tracked connection and
/// version) and, in the join of an update, `"$prev"` (the ref it replaces).
public enum PresenceWire {
    /// The full state of a room.
    public static let state = "$ws:presence_state"
    /// A diff: `{"joins": …, "leaves": …}`.
    public static let diff = "$ws:presence_diff"
    /// The meta key naming the room (the presence topic).
    public static let topicKey = "topic"
    /// The meta field carrying an entry's ref.
    public static let refKey = "$ref"
    /// The meta field carrying, in the join of an update, the ref it replaces.
    public static let previousRefKey = "$prev"
}
