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
    /// The last message compressed for fan-out, and its compressed form (see `compressOnce`).
    private var fanOutInput: [UInt8] = []
    private var fanOutOutput: [UInt8] = []
    private var fanOutCompressor: ObjectIdentifier?
    /// How many fan-out messages were actually compressed (the rest reused the cache).
    private(set) var fanOutCompressions = 0

    /// Fan-out messages up to this size are remembered for the next subscriber.
    static let fanOutCacheLimit = 1 << 20

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

    /// Compresses `input` with `compressor` (a shared one, reset after each message), unless the
    /// previous call compressed the very same bytes with it: then its output is reused. A message
    /// published to many subscribers on one loop is so compressed once, not once per subscriber.
    func compressOnce(_ input: UnsafeRawBufferPointer, with compressor: DeflateCompressor, into output: inout [UInt8]) -> Bool {
        let id = ObjectIdentifier(compressor)
        if fanOutCompressor == id, fanOutInput.count == input.count,
           fanOutInput.withUnsafeBytes({ $0.elementsEqual(input) })
        {
            output.append(contentsOf: fanOutOutput)
            return true
        }
        let start = output.count
        guard compressor.compress(input, into: &output, resetAfter: true) else { return false }
        fanOutCompressions += 1
        if input.count <= Self.fanOutCacheLimit {
            fanOutInput.removeAll(keepingCapacity: true)
            fanOutInput.append(contentsOf: input)
            fanOutOutput.removeAll(keepingCapacity: true)
            fanOutOutput.append(contentsOf: output[start...])
            fanOutCompressor = id
        } else {
            fanOutCompressor = nil
        }
        return true
    }

    /// The thread's decompressor for this window size.
    func decompressor(windowBits: Int) -> DeflateDecompressor {
        let candidate = DeflateDecompressor(windowBits: windowBits)
        if let existing = decompressors.first(where: { $0.windowBits == candidate.windowBits }) { return existing }
        decompressors.append(candidate)
        return candidate
    }
}
