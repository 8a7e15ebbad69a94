import WSKitContract

/// Writes the payloads of `$ws:presence_state` and `$ws:presence_diff` from stored records,
/// without building JSON values: `{"<key>":{"metas":[<meta>,…]},…}` and
/// `{"joins":{…},"leaves":{…}}`. Keys are written in sorted order, metas in the given order.
public enum PresencePayload {
    /// A state payload from a room's records.
    public static func state(_ records: [PresenceRecord]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(records.count * 64 + 2)
        writeGroups(records.map { ($0, nil) }, into: &bytes)
        return bytes
    }

    /// A diff payload. `previousRefs` maps a joined record's ref to the ref it replaces (an update).
    public static func diff(
        joins: [PresenceRecord], leaves: [PresenceRecord], previousRefs: [String: String] = [:]
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity((joins.count + leaves.count) * 64 + 24)
        bytes.append(contentsOf: joinsHead)
        writeGroups(joins.map { ($0, previousRefs[$0.ref]) }, into: &bytes)
        bytes.append(contentsOf: leavesHead)
        writeGroups(leaves.map { ($0, nil) }, into: &bytes)
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// The diff of one join (and, for an update, the leave of the record it replaces).
    public static func join(_ record: PresenceRecord, replacing previous: PresenceRecord?) -> [UInt8] {
        guard let previous else { return diff(joins: [record], leaves: []) }
        return diff(joins: [record], leaves: [previous], previousRefs: [record.ref: previous.ref])
    }

    /// The diff of one leave.
    public static func leave(_ record: PresenceRecord) -> [UInt8] { diff(joins: [], leaves: [record]) }

    private static func writeGroups(_ entries: [(PresenceRecord, String?)], into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        if entries.count == 1 {
            writeGroup(key: entries[0].0.key, entries[...], into: &bytes)
        } else if !entries.isEmpty {
            var order: [String] = []
            var groups: [String: [(PresenceRecord, String?)]] = [:]
            for entry in entries {
                if groups[entry.0.key] == nil { order.append(entry.0.key) }
                groups[entry.0.key, default: []].append(entry)
            }
            var first = true
            for key in order.sorted() {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                writeGroup(key: key, groups[key]![...], into: &bytes)
            }
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private static func writeGroup(key: String, _ entries: ArraySlice<(PresenceRecord, String?)>, into bytes: inout [UInt8]) {
        JSON.writeString(key, into: &bytes)
        bytes.append(contentsOf: metasHead)
        var first = true
        for (record, previous) in entries {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            record.writeWireMeta(previousRef: previous, into: &bytes)
        }
        bytes.append(contentsOf: metasTail)
    }

    private static let joinsHead = Array("{\"joins\":".utf8)
    private static let leavesHead = Array(",\"leaves\":".utf8)
    private static let metasHead = Array(":{\"metas\":[".utf8)
    private static let metasTail = Array("]}".utf8)
}
