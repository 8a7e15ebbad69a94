import WSKitContract

/// One tracked connection in one room, as stores keep it: the room, the presence key, the ref
/// (unique per tracked connection and version) and the application's meta, serialised once as a
/// compact JSON object without `$ref`.
public struct PresenceRecord: Sendable, Hashable {
    /// The room (presence topic).
    public var room: String
    /// The presence key (usually the user id).
    public var key: String
    /// The entry's ref.
    public var ref: String
    /// The application's meta as a compact JSON object (`{}` when empty).
    public var meta: [UInt8]

    /// Creates a record.
    public init(room: String, key: String, ref: String, meta: [UInt8]) {
        self.room = room
        self.key = key
        self.ref = ref
        self.meta = meta
    }

    /// Appends the wire meta: the application's object with `"$ref"` (and `"$prev"`) added last.
    public func writeWireMeta(previousRef: String? = nil, into bytes: inout [UInt8]) {
        if meta.count > 2 {
            bytes.append(contentsOf: meta.dropLast())
            bytes.append(UInt8(ascii: ","))
        } else {
            bytes.append(UInt8(ascii: "{"))
        }
        bytes.append(contentsOf: Self.refMember)
        JSON.writeString(ref, into: &bytes)
        if let previousRef {
            bytes.append(contentsOf: Self.previousRefMember)
            JSON.writeString(previousRef, into: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// The wire meta as bytes.
    public func wireMeta(previousRef: String? = nil) -> [UInt8] {
        var bytes: [UInt8] = []
        writeWireMeta(previousRef: previousRef, into: &bytes)
        return bytes
    }

    /// The ``PresenceMeta`` clients see (parses the stored JSON).
    public var presenceMeta: PresenceMeta {
        let fields = (try? JSON.parse(meta))?.objectValue ?? [:]
        return PresenceMeta(ref: ref, fields: fields)
    }

    static let refMember = Array("\"$ref\":".utf8)
    static let previousRefMember = Array(",\"$prev\":".utf8)
}
