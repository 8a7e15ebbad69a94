import WSKitContract

/// Writes a stream's `topic`, `epoch` and `offset` into a published envelope's meta, so every
/// delivered publication carries its position (`{"type":…,"meta":{"topic":…,"epoch":…,"offset":7,…},…}`).
enum StreamStamp {
    /// The meta keys a stream writes (an application's own keys of these names are dropped on
    /// stream topics).
    static let keys: Set<String> = ["topic", "epoch", "offset"]

    /// `body` with the stream's meta inserted first in its meta object; a body that is not an
    /// envelope with meta (a raw publish) is returned as it is.
    static func stamp(_ body: [UInt8], topic: String, epoch: String, offset: UInt64) -> [UInt8] {
        guard let insertion = metaStart(body) else { return body }
        var stamp: [UInt8] = []
        stamp.reserveCapacity(48 + topic.utf8.count + epoch.utf8.count)
        stamp += Array("\"topic\":".utf8)
        JSON.writeString(topic, into: &stamp)
        stamp += Array(",\"epoch\":".utf8)
        JSON.writeString(epoch, into: &stamp)
        stamp += Array(",\"offset\":\(offset)".utf8)
        if body[insertion] != UInt8(ascii: "}") { stamp.append(UInt8(ascii: ",")) }
        var result: [UInt8] = []
        result.reserveCapacity(body.count + stamp.count)
        result += body[..<insertion]
        result += stamp
        result += body[insertion...]
        return result
    }

    /// The index just after `"meta":{` in `{"type":"…","meta":{…`, or `nil`.
    static func metaStart(_ body: [UInt8]) -> Int? {
        let open = Array("{\"type\":\"".utf8)
        guard body.count > open.count, body.starts(with: open) else { return nil }
        var index = open.count
        while index < body.count {
            let byte = body[index]
            if byte == UInt8(ascii: "\\") { index += 2; continue }
            if byte == UInt8(ascii: "\"") { break }
            index += 1
        }
        index += 1
        let meta = Array(",\"meta\":{".utf8)
        guard index + meta.count < body.count, body[index ..< index + meta.count].elementsEqual(meta) else { return nil }
        return index + meta.count
    }
}
