/// What one end wants from permessage-deflate (RFC 7692), from its own point of view: the same
/// type configures a server (which answers offers) and a client (which makes one).
///
/// The defaults favour memory per connection (python-websockets' choice): 4 KiB compression
/// windows, zlib memory level 5, both ends keeping their context between messages. See
/// `docs/compression.md` for the bytes each setting costs per connection.
public struct PerMessageDeflateOptions: Sendable, Hashable {
    /// Whether our compressor keeps its window from one message to the next (better ratio, and its
    /// zlib state lives as long as the connection). false: a server answers
    /// `server_no_context_takeover`, a client offers `client_no_context_takeover`, and the
    /// compressor is reset after each message (a server then shares one per event loop).
    public var contextTakeover: Bool
    /// Whether the peer may keep its window between messages. false: a server answers
    /// `client_no_context_takeover`, a client offers `server_no_context_takeover`; our
    /// decompressor is then freed between messages.
    public var peerContextTakeover: Bool
    /// The largest LZ77 window our compressor uses, as a power of two (8...15). A server answers
    /// `server_max_window_bits` when below 15 (or lower if the client asked); a client offers
    /// `client_max_window_bits` with this value when below 15.
    public var maxWindowBits: Int
    /// The largest window we ask the peer's compressor to use (8...15), or nil to leave it to the
    /// peer. A server answers `client_max_window_bits` when the client offered that parameter; a
    /// client offers `server_max_window_bits`. A smaller window shrinks our decompressor.
    public var peerMaxWindowBits: Int?
    /// zlib's compression level: 0 (store) ... 9 (smallest), or -1 for zlib's default (6).
    public var compressionLevel: Int
    /// zlib's memory level, 1...9: the compressor's hash table and pending buffer take
    /// 2^(level+9) bytes (level 8: 128 KiB; level 5: 16 KiB), besides 2^(window bits+2) for its
    /// window; lower is smaller and a little slower.
    public var memoryLevel: Int
    /// Messages shorter than this many bytes are sent uncompressed (compressing a few bytes costs
    /// CPU and can make them longer); a send can override it with `WebSocketCompression`.
    public var threshold: Int

    /// Creates options; every parameter defaults to the value documented on its property.
    public init(
        contextTakeover: Bool = true,
        peerContextTakeover: Bool = true,
        maxWindowBits: Int = 12,
        peerMaxWindowBits: Int? = 12,
        compressionLevel: Int = 6,
        memoryLevel: Int = 5,
        threshold: Int = 128
    ) {
        self.contextTakeover = contextTakeover
        self.peerContextTakeover = peerContextTakeover
        self.maxWindowBits = maxWindowBits
        self.peerMaxWindowBits = peerMaxWindowBits
        self.compressionLevel = compressionLevel
        self.memoryLevel = memoryLevel
        self.threshold = threshold
    }

    /// Context takeover both ways, 4 KiB windows, memory level 5, messages of 128 bytes and more
    /// compressed.
    public static let `default` = PerMessageDeflateOptions()

    /// No context takeover either way: a server keeps no zlib state per idle connection (its
    /// compressor is shared by the connections of an event loop and its decompressor is freed
    /// between messages), at the cost of compression ratio across messages.
    public static let noContextTakeover = PerMessageDeflateOptions(contextTakeover: false, peerContextTakeover: false)

    /// The client's default offer: `permessage-deflate; client_max_window_bits`, letting the
    /// server choose every parameter (what browsers offer).
    public static let client = PerMessageDeflateOptions(maxWindowBits: 15, peerMaxWindowBits: nil)

    /// The values clamped to the ranges zlib and RFC 7692 accept.
    var clamped: PerMessageDeflateOptions {
        var copy = self
        copy.maxWindowBits = max(8, min(15, maxWindowBits))
        copy.peerMaxWindowBits = peerMaxWindowBits.map { max(8, min(15, $0)) }
        copy.compressionLevel = compressionLevel < 0 ? -1 : min(9, compressionLevel)
        copy.memoryLevel = max(1, min(9, memoryLevel))
        copy.threshold = max(0, threshold)
        return copy
    }
}
