/// A published message as it travels between instances: the topic, the frame body every
/// subscriber receives (the serialised envelope, or raw bytes), and who must not receive it.
///
/// The body is serialised once by the publisher; each instance frames it once for all of its
/// subscribers. Broker adapters carry it with ``encoded()`` / ``init(decoding:topic:)``: a
/// versioned binary header (ADR 0050) followed by the body, so no JSON is parsed in transit.
public struct PubSubMessage: Sendable, Hashable {
    /// The WebSocket frame kind subscribers receive.
    public enum Kind: UInt8, Sendable, Hashable {
        /// A text frame (the body is UTF-8: a JSON envelope, or raw text).
        case text = 1
        /// A binary frame (raw bytes).
        case binary = 2
    }

    /// The topic (already normalised and validated).
    public var topic: String
    /// The frame kind.
    public var kind: Kind
    /// The frame payload every subscriber receives.
    public var body: [UInt8]
    /// A connection id that must not receive the message (`excludeSelf`), on any instance.
    public var excludeClientId: String?
    /// The publishing instance's id, for diagnostics.
    public var origin: String

    /// Creates a message.
    public init(topic: String, kind: Kind, body: [UInt8], excludeClientId: String? = nil, origin: String = "") {
        self.topic = topic
        self.kind = kind
        self.body = body
        self.excludeClientId = excludeClientId
        self.origin = origin
    }

    // MARK: Wire format

    /// `"WSK"` followed by the format version.
    static let magic: [UInt8] = [0x57, 0x53, 0x4B, 0x01]

    /// The message for a broker: `W S K 0x01`, a flags byte (0x01 binary, 0x02 has an excluded
    /// id), the excluded id (u16 big-endian length + UTF-8) when flagged, the origin (u8 length +
    /// UTF-8), then the body. The topic travels as the broker's channel name.
    public func encoded() -> [UInt8] {
        let exclude = Array((excludeClientId ?? "").utf8.prefix(Int(UInt16.max)))
        let origin = Array(origin.utf8.prefix(255))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.magic.count + 4 + exclude.count + origin.count + body.count)
        bytes += Self.magic
        bytes.append((kind == .binary ? 0x01 : 0) | (excludeClientId == nil ? 0 : 0x02))
        if excludeClientId != nil {
            bytes.append(UInt8(exclude.count >> 8))
            bytes.append(UInt8(exclude.count & 0xFF))
            bytes += exclude
        }
        bytes.append(UInt8(origin.count))
        bytes += origin
        bytes += body
        return bytes
    }

    /// Decodes what ``encoded()`` produced; `nil` for anything else (another format or version,
    /// a truncated header).
    public init?(decoding bytes: [UInt8], topic: String) {
        self.init(decoding: bytes[...], topic: topic)
    }

    /// Decodes what ``encoded()`` produced from part of a larger buffer (a history entry after
    /// its position, say) without copying it first; `nil` for anything else.
    public init?(decoding bytes: ArraySlice<UInt8>, topic: String) {
        guard bytes.count >= Self.magic.count + 2, bytes.starts(with: Self.magic) else { return nil }
        var index = bytes.startIndex + Self.magic.count
        let flags = bytes[index]
        index += 1
        guard flags & ~0x03 == 0 else { return nil }
        var exclude: String?
        if flags & 0x02 != 0 {
            guard index + 2 <= bytes.endIndex else { return nil }
            let length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
            index += 2
            guard index + length <= bytes.endIndex else { return nil }
            exclude = String(decoding: bytes[index ..< index + length], as: UTF8.self)
            index += length
        }
        guard index < bytes.endIndex else { return nil }
        let originLength = Int(bytes[index])
        index += 1
        guard index + originLength <= bytes.endIndex else { return nil }
        let origin = String(decoding: bytes[index ..< index + originLength], as: UTF8.self)
        index += originLength
        self.init(
            topic: topic, kind: flags & 0x01 != 0 ? .binary : .text, body: Array(bytes[index...]),
            excludeClientId: exclude, origin: origin)
    }
}
