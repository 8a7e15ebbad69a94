/// Client-to-server payload masking (RFC 6455 §5.3).
///
/// Masking is an XOR with a 4-byte key repeated over the payload; applying it twice restores the
/// data, so the same function masks and unmasks.
public enum WebSocketMasking {
    /// XORs `bytes` in place with `key`, a machine word (8 bytes) at a time.
    ///
    /// - Parameters:
    ///   - key: the masking key as the big-endian value of its 4 wire bytes, so the key sent as
    ///     `37 fa 21 3d` is `0x37fa213d`.
    ///   - phase: the index (0–3) of the key byte that applies to `bytes[0]`, for data that starts
    ///     in the middle of a payload (a frame that arrives over several reads).
    ///   - bytes: the data to mask or unmask.
    /// - Returns: the phase for the byte that follows `bytes`, to continue with the next chunk.
    @inlinable
    @discardableResult
    public static func apply(key: UInt32, phase: Int = 0, to bytes: UnsafeMutableRawBufferPointer) -> Int {
        let phase = phase & 3
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return phase }
        // Rotate so the key starts at byte `phase`, then lay it out twice in memory order.
        let shift = UInt32(phase &* 8)
        let rotated = shift == 0 ? key : (key << shift) | (key >> (32 &- shift))
        let half = UInt64(truncatingIfNeeded: rotated.bigEndian)
        let word = half | (half << 32)
        var i = 0
        while count &- i >= 32 {
            let a = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let b = base.loadUnaligned(fromByteOffset: i &+ 8, as: UInt64.self)
            let c = base.loadUnaligned(fromByteOffset: i &+ 16, as: UInt64.self)
            let d = base.loadUnaligned(fromByteOffset: i &+ 24, as: UInt64.self)
            base.storeBytes(of: a ^ word, toByteOffset: i, as: UInt64.self)
            base.storeBytes(of: b ^ word, toByteOffset: i &+ 8, as: UInt64.self)
            base.storeBytes(of: c ^ word, toByteOffset: i &+ 16, as: UInt64.self)
            base.storeBytes(of: d ^ word, toByteOffset: i &+ 24, as: UInt64.self)
            i &+= 32
        }
        while count &- i >= 8 {
            let a = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            base.storeBytes(of: a ^ word, toByteOffset: i, as: UInt64.self)
            i &+= 8
        }
        // Fewer than 8 bytes remain, starting at a multiple of 8 (so at the same key phase).
        var tail = word.littleEndian  // memory byte n of `word` is now bits 8n ..< 8n+8
        while i < count {
            let byte = base.load(fromByteOffset: i, as: UInt8.self)
            base.storeBytes(of: byte ^ UInt8(truncatingIfNeeded: tail), toByteOffset: i, as: UInt8.self)
            tail >>= 8
            i &+= 1
        }
        return (phase &+ count) & 3
    }
}
