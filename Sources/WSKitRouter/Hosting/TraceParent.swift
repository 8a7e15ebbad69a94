/// A W3C Trace Context `traceparent` value (`00-<trace id>-<parent id>-<flags>`), as a host read
/// it from the upgrade request: the trace the connection belongs to. Handlers read it with
/// `ctx.traceParent` and start their spans under it (the `Integrations/` tracing bridge does).
public struct TraceParent: Sendable, Hashable, CustomStringConvertible {
    /// The format version (`00`).
    public let version: UInt8
    /// The trace id: 32 lowercase hex digits, not all zero.
    public let traceId: String
    /// The caller's span id: 16 lowercase hex digits, not all zero.
    public let parentId: String
    /// The trace flags (bit 0: sampled).
    public let flags: UInt8

    /// Whether the caller sampled this trace.
    public var isSampled: Bool { flags & 1 == 1 }

    /// Parses a `traceparent` header value; `nil` when it is malformed (wrong lengths, uppercase
    /// or non-hex digits, all-zero ids, version `ff`). Versions above `00` are read as `00`
    /// (their first four fields), as the specification asks.
    public init?(_ header: String) {
        let fields = header.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard fields.count >= 4,
              fields[0].count == 2, fields[1].count == 32, fields[2].count == 16, fields[3].count == 2,
              let version = Self.hexByte(fields[0]), version != 0xFF, let flags = Self.hexByte(fields[3]),
              fields[1].allSatisfy(Self.isLowerHex), fields[2].allSatisfy(Self.isLowerHex)
        else { return nil }
        if version == 0, fields.count != 4 { return nil }
        let traceId = String(decoding: fields[1], as: UTF8.self)
        let parentId = String(decoding: fields[2], as: UTF8.self)
        guard traceId.utf8.contains(where: { $0 != UInt8(ascii: "0") }),
              parentId.utf8.contains(where: { $0 != UInt8(ascii: "0") }) else { return nil }
        self.version = version
        self.traceId = traceId
        self.parentId = parentId
        self.flags = flags
    }

    /// The header value (`00-…-…-01`).
    public var description: String {
        "00-\(traceId)-\(parentId)-\(Self.hex(flags))"
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a") ... UInt8(ascii: "f")).contains(byte)
    }

    private static func hexByte(_ digits: Substring.UTF8View.SubSequence) -> UInt8? {
        guard digits.allSatisfy(isLowerHex) else { return nil }
        return UInt8(String(decoding: digits, as: UTF8.self), radix: 16)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
