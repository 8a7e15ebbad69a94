/// One connection's presence in a room, as clients see it: the application's metadata and the
/// entry's ref.
public struct PresenceMeta: Sendable, Hashable {
    /// Unique per tracked connection and version: a meta update gets a new ref.
    public var ref: String
    /// In the join of an update, the ref this meta replaces.
    public var previousRef: String?
    /// The application's metadata (display name, device, status, …), without `$ref`/`$prev`.
    public var fields: JSONObject

    /// Creates a meta.
    public init(ref: String, previousRef: String? = nil, fields: JSONObject = [:]) {
        self.ref = ref
        self.previousRef = previousRef
        self.fields = fields
    }

    /// Reads a wire meta object; `nil` when it is not an object or has no string `$ref`.
    public init?(wire value: JSONValue) {
        guard case var .object(object) = value, let ref = object[PresenceWire.refKey]?.stringValue else { return nil }
        previousRef = object[PresenceWire.previousRefKey]?.stringValue
        object[PresenceWire.refKey] = nil
        object[PresenceWire.previousRefKey] = nil
        self.ref = ref
        fields = object
    }

    /// The wire object: the fields plus `$ref` (and `$prev`).
    public var wire: JSONValue {
        var object = fields
        object[PresenceWire.refKey] = .string(ref)
        if let previousRef { object[PresenceWire.previousRefKey] = .string(previousRef) }
        return .object(object)
    }
}

/// One user (presence key) in a room: the metas of each of its connections.
public struct PresenceUser: Sendable, Hashable {
    /// The presence key (usually the user id).
    public var key: String
    /// One meta per tracked connection, oldest first.
    public var metas: [PresenceMeta]

    /// Creates a user entry.
    public init(key: String, metas: [PresenceMeta]) {
        self.key = key
        self.metas = metas
    }
}
