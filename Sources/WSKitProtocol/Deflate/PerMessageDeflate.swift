/// The permessage-deflate extension (RFC 7692) for one connection, on zlib: messages compressed
/// with DEFLATE, marked with RSV1 on their first frame.
///
/// Negotiate with `negotiate(offers:options:)` (server) or `offer(_:)` and
/// `accept(response:options:)` (client), then pass the extension to `WebSocketEngine`:
///
/// ```swift
/// let deflate = PerMessageDeflate(parameters: agreed, role: .server, options: .default)
/// var engine = WebSocketEngine(role: .server, extensions: [deflate])
/// ```
///
/// - Inbound, a compressed message is inflated piece by piece as its frames arrive; the inflated
///   size counts against the message size limit while inflating (1009 at the limit; the block
///   grows with what was inflated, never to the limit up front), corrupt data fails with 1007,
///   and text is validated as UTF-8 as it is inflated.
/// - Outbound, whole messages of at least `options.threshold` bytes are compressed (a send may
///   override it); fragmented sends and control frames go out uncompressed.
/// - A side without context takeover resets its stream after each message. With `streams` (one
///   per thread), such a compressor is the thread's shared one, and such a decompressor is freed
///   between messages, a message that arrives whole being inflated with the thread's.
///
/// Holds its zlib streams by reference: copies of the value share them, so use one value (one
/// engine) per connection.
public struct PerMessageDeflate: WebSocketExtension {
    /// The agreed parameters.
    public let parameters: PerMessageDeflateParameters
    /// Which end this is.
    public let role: WebSocketRole
    let threshold: Int
    let compressor: DeflateCompressor
    /// Our compressor does not keep its context (reset after each message).
    let resetsCompressor: Bool
    /// `compressor` is the thread's shared one.
    let sharesCompressor: Bool
    /// The thread's streams, when given.
    let streams: PerMessageDeflateStreams?
    let ownDecompressor: DeflateDecompressor
    let sharedDecompressor: DeflateDecompressor?
    /// The peer does not keep its context: free our decompressor between messages.
    let releasesDecompressor: Bool
    /// The current inbound message is being inflated with `sharedDecompressor`.
    var decompressingShared = false
    /// A piece of the current inbound message was already decoded.
    var midMessage = false
    /// The error that ended inbound decompression: every later `decode` throws it again, so a
    /// connection whose inflater failed never inflates another byte (its stream is mid-block or
    /// corrupt, and a shared stream has been handed back clean).
    var inboundFailure: WebSocketProtocolError?

    /// Creates the extension for one connection.
    ///
    /// - Parameters:
    ///   - parameters: as negotiated.
    ///   - role: this end.
    ///   - options: compression level, memory level and threshold (the window sizes and context
    ///     takeover come from `parameters`).
    ///   - streams: the thread's shared streams, used where `parameters` allow; nil gives this
    ///     connection streams of its own.
    public init(
        parameters: PerMessageDeflateParameters,
        role: WebSocketRole,
        options: PerMessageDeflateOptions = .default,
        streams: PerMessageDeflateStreams? = nil
    ) {
        let options = options.clamped
        self.parameters = parameters
        self.role = role
        threshold = options.threshold
        let ourWindow = role == .server ? parameters.serverMaxWindowBits : parameters.clientMaxWindowBits
        let peerWindow = role == .server ? parameters.clientMaxWindowBits : parameters.serverMaxWindowBits
        resetsCompressor = role == .server ? parameters.serverNoContextTakeover : parameters.clientNoContextTakeover
        releasesDecompressor = role == .server ? parameters.clientNoContextTakeover : parameters.serverNoContextTakeover
        self.streams = streams
        sharesCompressor = resetsCompressor && streams != nil
        if resetsCompressor, let streams {
            compressor = streams.compressor(
                level: options.compressionLevel, windowBits: ourWindow, memoryLevel: options.memoryLevel)
        } else {
            compressor = DeflateCompressor(
                level: options.compressionLevel, windowBits: ourWindow, memoryLevel: options.memoryLevel)
        }
        ownDecompressor = DeflateDecompressor(windowBits: peerWindow)
        sharedDecompressor = releasesDecompressor ? streams?.decompressor(windowBits: peerWindow) : nil
    }

    /// `permessage-deflate`.
    public var name: String { PerMessageDeflateParameters.extensionName }

    /// RSV1 (`0x40`).
    public var reservedBits: UInt8 { 0x40 }

    /// True: messages are inflated as their frames arrive.
    public var decodesIncrementally: Bool { true }

    /// Whether this connection currently holds zlib state of its own (for memory accounting).
    public var holdsStreams: Bool {
        ownDecompressor.isAllocated || (!sharesCompressor && compressor.isAllocated)
    }

    /// Inflates the next piece of a compressed message (restoring the removed tail after the
    /// last one): 1009 past `maxSize`, 1007 for corrupt data. Once it has thrown, it throws the
    /// same error for every later piece.
    public mutating func decode(
        fragment: UnsafeRawBufferPointer,
        isLast: Bool,
        opcode: WebSocketOpcode,
        rsv: UInt8,
        maxSize: Int,
        into output: inout WebSocketExtensionOutput
    ) throws(WebSocketProtocolError) {
        if let inboundFailure { throw inboundFailure }
        if !midMessage {
            midMessage = true
            // A message that arrives whole goes through the thread's decompressor, when allowed.
            decompressingShared = isLast && sharedDecompressor != nil
        }
        let decompressor = decompressingShared ? sharedDecompressor! : ownDecompressor
        do {
            try decompressor.decompress(fragment, isLast: isLast, maxSize: maxSize, into: &output)
        } catch {
            // The connection fails; leave a shared stream clean for the others.
            midMessage = false
            if decompressingShared { decompressor.release() }
            inboundFailure = error
            throw error
        }
        guard isLast else { return }
        midMessage = false
        if decompressingShared {
            decompressor.reset()
        } else if releasesDecompressor {
            decompressor.release()
        }
    }

    /// Inflates a whole message at once (the engine uses the incremental form).
    public mutating func decode(
        message: UnsafeRawBufferPointer,
        opcode: WebSocketOpcode,
        rsv: UInt8,
        maxSize: Int,
        into output: inout [UInt8]
    ) throws(WebSocketProtocolError) {
        var decoded = WebSocketExtensionOutput()
        try decode(fragment: message, isLast: true, opcode: opcode, rsv: rsv, maxSize: maxSize, into: &decoded)
        output.append(contentsOf: decoded.bytes)
    }

    /// Compresses a message at or above the threshold and returns RSV1, or returns nil.
    public mutating func encode(message: UnsafeRawBufferPointer, opcode: WebSocketOpcode, into output: inout [UInt8]) -> UInt8? {
        encode(message: message, opcode: opcode, compression: .automatic, into: &output)
    }

    /// Compresses a message as the policy and the per-send override say, returning RSV1, or
    /// returns nil to send it as is (empty messages are never compressed).
    public mutating func encode(
        message: UnsafeRawBufferPointer,
        opcode: WebSocketOpcode,
        compression: WebSocketCompression,
        into output: inout [UInt8]
    ) -> UInt8? {
        switch compression {
        case .never: return nil
        case .automatic where message.count < threshold: return nil
        case .automatic, .always: break
        }
        // An empty message is sent as is: compressing it gains nothing.
        guard message.count > 0 else { return nil }
        return compressor.compress(message, into: &output, resetAfter: resetsCompressor) ? 0x40 : nil
    }

    /// Encodes one message that is being sent to many connections (pub/sub fan-out): as
    /// `encode`, except that with a shared compressor (no context takeover) the compressed form is
    /// computed once per thread for consecutive connections sending the same bytes.
    func encodeFanOut(message: UnsafeRawBufferPointer, into output: inout [UInt8]) -> UInt8? {
        guard message.count >= threshold, message.count > 0 else { return nil }
        if sharesCompressor, let streams {
            return streams.compressOnce(message, with: compressor, into: &output) ? 0x40 : nil
        }
        return compressor.compress(message, into: &output, resetAfter: resetsCompressor) ? 0x40 : nil
    }
}
