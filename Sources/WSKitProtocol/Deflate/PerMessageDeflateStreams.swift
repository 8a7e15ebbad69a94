/// zlib streams shared by the connections of one thread (one event loop), as uWebSockets' shared
/// compressor: a connection whose compressor does not keep its context between messages
/// compresses with the thread's stream and resets it, instead of holding one of its own; a
/// connection whose peer does not keep its context inflates a message that arrives whole with
/// the thread's decompressor.
///
/// Not thread-safe: every engine given the same instance must run on the same thread (the
/// server creates one per event loop). The streams are allocated on first use.
public final class PerMessageDeflateStreams: @unchecked Sendable {
    private var compressors: [DeflateCompressor] = []
    private var decompressors: [DeflateDecompressor] = []

    /// Creates an empty set of streams.
    public init() {}

    /// The thread's compressor for these settings.
    func compressor(level: Int, windowBits: Int, memoryLevel: Int) -> DeflateCompressor {
        let candidate = DeflateCompressor(level: level, windowBits: windowBits, memoryLevel: memoryLevel)
        if let existing = compressors.first(where: {
            $0.level == candidate.level && $0.windowBits == candidate.windowBits && $0.memoryLevel == candidate.memoryLevel
        }) {
            return existing
        }
        compressors.append(candidate)
        return candidate
    }

    /// The thread's decompressor for this window size.
    func decompressor(windowBits: Int) -> DeflateDecompressor {
        let candidate = DeflateDecompressor(windowBits: windowBits)
        if let existing = decompressors.first(where: { $0.windowBits == candidate.windowBits }) { return existing }
        decompressors.append(candidate)
        return candidate
    }
}
