/// SHA-1 (FIPS 180-4, RFC 3174), used only to compute `Sec-WebSocket-Accept` (RFC 6455 §4.2.2).
///
/// SHA-1 is not collision resistant; the WebSocket handshake uses it as a fixed transform, not for
/// security. The hasher is a value type with no heap storage: `update(_:)` as often as needed, then
/// `finalize()`.
public struct SHA1: Sendable {
    /// The digest length in bytes.
    public static let digestLength = 20

    private var h0: UInt32 = 0x6745_2301
    private var h1: UInt32 = 0xEFCD_AB89
    private var h2: UInt32 = 0x98BA_DCFE
    private var h3: UInt32 = 0x1032_5476
    private var h4: UInt32 = 0xC3D2_E1F0
    /// The pending partial block (64 bytes).
    private var block: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// Bytes used in `block`.
    private var blockCount = 0
    /// Total message length in bytes.
    private var length: UInt64 = 0

    /// Creates a hasher for an empty message.
    public init() {}

    /// Hashes the whole of `bytes`.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = SHA1()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Hashes a byte sequence.
    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var hasher = SHA1()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Hashes the UTF-8 bytes of a string.
    public static func hash(utf8 string: String) -> [UInt8] {
        var hasher = SHA1()
        hasher.update(utf8: string)
        return hasher.finalize()
    }

    /// Appends the UTF-8 bytes of `string` to the message.
    public mutating func update(utf8 string: String) {
        var string = string
        string.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// Appends a byte sequence to the message.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if handled == nil {
            let copy = Array(bytes)
            copy.withUnsafeBytes { update($0) }
        }
    }

    /// Appends raw bytes to the message.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var input = bytes.baseAddress else { return }
        var remaining = bytes.count
        length &+= UInt64(remaining)
        if blockCount > 0 {
            let take = min(64 &- blockCount, remaining)
            let offset = blockCount
            withUnsafeMutableBytes(of: &block) { $0.baseAddress!.advanced(by: offset).copyMemory(from: input, byteCount: take) }
            blockCount &+= take
            input += take
            remaining &-= take
            guard blockCount == 64 else { return }
            let copy = block
            withUnsafeBytes(of: copy) { compress($0.baseAddress!) }
            blockCount = 0
        }
        while remaining >= 64 {
            compress(input)
            input += 64
            remaining &-= 64
        }
        if remaining > 0 {
            withUnsafeMutableBytes(of: &block) { $0.baseAddress!.copyMemory(from: input, byteCount: remaining) }
            blockCount = remaining
        }
    }

    /// The 20-byte digest of the message appended so far (the hasher itself is unchanged).
    public func finalize() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: SHA1.digestLength) { buffer, count in
            finalize(into: UnsafeMutableRawBufferPointer(buffer))
            count = SHA1.digestLength
        }
    }

    /// Writes the 20-byte digest to the start of `output`, which must hold at least 20 bytes.
    func finalize(into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count >= SHA1.digestLength)
        var copy = self
        let bitLength = length &* 8
        // Padding: 0x80, zeros to 56 mod 64, then the 64-bit big-endian bit length.
        var padding: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0)
        let padLength = blockCount < 56 ? 56 &- blockCount : 120 &- blockCount
        withUnsafeMutableBytes(of: &padding) { pad in
            pad[0] = 0x80
            pad.storeBytes(of: bitLength.bigEndian, toByteOffset: padLength, as: UInt64.self)
            copy.updateWithoutCounting(UnsafeRawBufferPointer(rebasing: pad[0 ..< padLength &+ 8]))
        }
        output.storeBytes(of: copy.h0.bigEndian, toByteOffset: 0, as: UInt32.self)
        output.storeBytes(of: copy.h1.bigEndian, toByteOffset: 4, as: UInt32.self)
        output.storeBytes(of: copy.h2.bigEndian, toByteOffset: 8, as: UInt32.self)
        output.storeBytes(of: copy.h3.bigEndian, toByteOffset: 12, as: UInt32.self)
        output.storeBytes(of: copy.h4.bigEndian, toByteOffset: 16, as: UInt32.self)
    }

    private mutating func updateWithoutCounting(_ bytes: UnsafeRawBufferPointer) {
        let saved = length
        update(bytes)
        length = saved
    }

    /// Processes one 64-byte block starting at `pointer`.
    private mutating func compress(_ pointer: UnsafeRawPointer) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 16) { w in
            for i in 0 ..< 16 {
                w[i] = UInt32(bigEndian: pointer.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self))
            }
            var a = h0, b = h1, c = h2, d = h3, e = h4
            for t in 0 ..< 80 {
                let word: UInt32
                if t < 16 {
                    word = w[t]
                } else {
                    let mixed = w[(t &- 3) & 15] ^ w[(t &- 8) & 15] ^ w[(t &- 14) & 15] ^ w[t & 15]
                    word = (mixed << 1) | (mixed >> 31)
                    w[t & 15] = word
                }
                let f: UInt32, k: UInt32
                switch t {
                case 0 ..< 20: f = (b & c) | (~b & d); k = 0x5A82_7999
                case 20 ..< 40: f = b ^ c ^ d; k = 0x6ED9_EBA1
                case 40 ..< 60: f = (b & c) | (b & d) | (c & d); k = 0x8F1B_BCDC
                default: f = b ^ c ^ d; k = 0xCA62_C1D6
                }
                let temp = ((a << 5) | (a >> 27)) &+ f &+ e &+ k &+ word
                e = d
                d = c
                c = (b << 30) | (b >> 2)
                b = a
                a = temp
            }
            h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d; h4 &+= e
        }
    }
}
