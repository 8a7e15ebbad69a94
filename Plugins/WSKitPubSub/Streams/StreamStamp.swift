import WSKitContract

/// Writes a stream's `topic`, `epoch` and `offset` into a published envelope's meta, so every
/// delivered publication carries its position (`{"type":…,"meta":{"topic":…,"epoch":…,"offset":7,…},…}`).
///
/// Runs once per publication on a stream topic and once per replayed entry of a recovery, so it
/// makes exactly one allocation: the stamped body.
enum StreamStamp {
    /// The meta keys a stream writes (an application's own keys of these names are dropped on
    /// stream topics).
    static let keys: Set<String> = ["topic", "epoch", "offset"]

    private static let envelopeStart: [UInt8] = Array("{\"type\":\"".utf8)
    private static let metaOpen: [UInt8] = Array(",\"meta\":{".utf8)
    private static let topicKey: [UInt8] = Array("\"topic\":".utf8)
    private static let epochKey: [UInt8] = Array(",\"epoch\":".utf8)
    private static let offsetKey: [UInt8] = Array(",\"offset\":".utf8)

    /// `body` with the stream's meta inserted first in its meta object; a body that is not an
    /// envelope with meta (a raw publish) is returned as it is.
    static func stamp(_ body: [UInt8], topic: String, epoch: String, offset: UInt64) -> [UInt8] {
        guard let insertion = metaStart(body) else { return body }
        var result: [UInt8] = []
        result.reserveCapacity(body.count + 56 + topic.utf8.count + epoch.utf8.count)
        result += body[..<insertion]
        result += topicKey
        JSON.writeString(topic, into: &result)
        result += epochKey
        JSON.writeString(epoch, into: &result)
        result += offsetKey
        writeDecimal(offset, into: &result)
        if body[insertion] != UInt8(ascii: "}") { result.append(UInt8(ascii: ",")) }
        result += body[insertion...]
        return result
    }

    /// The index just after `"meta":{` in `{"type":"…","meta":{…`, or `nil`.
    static func metaStart(_ body: [UInt8]) -> Int? {
        guard body.count > envelopeStart.count, body.starts(with: envelopeStart) else { return nil }
        var index = envelopeStart.count
        while index < body.count {
            let byte = body[index]
            if byte == UInt8(ascii: "\\") { index += 2; continue }
            if byte == UInt8(ascii: "\"") { break }
            index += 1
        }
        index += 1
        guard index + metaOpen.count < body.count, body[index ..< index + metaOpen.count].elementsEqual(metaOpen) else { return nil }
        return index + metaOpen.count
    }

    /// Appends `value` in decimal (all 64 bits, as `"\(value)"` would, without the string).
    private static func writeDecimal(_ value: UInt64, into bytes: inout [UInt8]) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
                count &+= 1
            } while rest > 0
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }
}
