/// The ASCII characters a topic may contain, checked byte by byte (no regular expression). A
/// topic with any byte outside the set — including every non-ASCII byte — is invalid.
public struct TopicCharacterSet: Sendable, Hashable {
    @usableFromInline var low: UInt64
    @usableFromInline var high: UInt64

    /// The characters listed in `characters` (ASCII only; others are ignored).
    public init(_ characters: String) {
        low = 0
        high = 0
        for byte in characters.utf8 where byte < 128 { insert(byte) }
    }

    /// `A–Z`, `a–z` and `0–9`.
    public static let alphanumerics = TopicCharacterSet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// The default, WS-Kit's topic pattern `^[a-z0-9:_./-]+$` (case-insensitive): letters, digits
    /// and `: _ . / -`.
    public static let `default` = alphanumerics.union(TopicCharacterSet(":_./-"))

    /// The characters of both sets.
    public func union(_ other: TopicCharacterSet) -> TopicCharacterSet {
        var result = self
        result.low |= other.low
        result.high |= other.high
        return result
    }

    /// Whether `byte` is in the set.
    @inlinable public func contains(_ byte: UInt8) -> Bool {
        byte < 64 ? low & (1 << UInt64(byte)) != 0 : byte < 128 && high & (1 << UInt64(byte - 64)) != 0
    }

    private mutating func insert(_ byte: UInt8) {
        if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
    }
}
