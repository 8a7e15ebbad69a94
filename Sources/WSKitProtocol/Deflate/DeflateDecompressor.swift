internal import CZlib

/// One zlib raw-inflate stream that decompresses permessage-deflate messages (RFC 7692 §7.2.2)
/// piece by piece, with the decompressed size bounded while inflating.
///
/// The `z_stream` lives at a fixed heap address and is created on first use; `release()` frees
/// it between messages when the peer does not take its context over. Not thread-safe: use it
/// from one thread at a time (the engine's).
final class DeflateDecompressor: @unchecked Sendable {
    let windowBits: Int32
    private var stream: UnsafeMutablePointer<z_stream>?

    /// The four bytes the sender removed from the end of every message (§7.2.2).
    private static let tail: (UInt8, UInt8, UInt8, UInt8) = (0x00, 0x00, 0xFF, 0xFF)

    /// - Parameter windowBits: the peer's agreed LZ77 window, 8...15.
    init(windowBits: Int) {
        self.windowBits = Int32(max(8, min(15, windowBits)))
    }

    deinit { release() }

    /// Whether zlib state is currently allocated.
    var isAllocated: Bool { stream != nil }

    /// Frees the zlib state; the next message starts with an empty window.
    func release() {
        guard let stream else { return }
        inflateEnd(stream)
        stream.deallocate()
        self.stream = nil
    }

    /// Empties the window (no context takeover) without freeing the state.
    func reset() {
        if let stream { inflateReset(stream) }
    }

    private func ready() throws(WebSocketProtocolError) -> UnsafeMutablePointer<z_stream> {
        if let stream { return stream }
        let fresh = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        fresh.initialize(to: z_stream())
        guard czlib_inflate_init_raw(fresh, windowBits) == Z_OK else {
            fresh.deallocate()
            throw WebSocketProtocolError(closeCode: .internalError, reason: "cannot allocate a decompressor")
        }
        stream = fresh
        return fresh
    }

    /// Inflates `input`, then (with `isLast`) the removed tail, appending to `output`; throws
    /// 1009 as soon as `output` would hold more than `maxSize` bytes, 1007 for a corrupt stream.
    func decompress(
        _ input: UnsafeRawBufferPointer,
        isLast: Bool,
        maxSize: Int,
        into output: inout WebSocketExtensionOutput
    ) throws(WebSocketProtocolError) {
        let stream = try ready()
        if input.count > 0 { try run(stream, input, maxSize: maxSize, into: &output) }
        if isLast {
            var tail = Self.tail
            try withUnsafeBytes(of: &tail) { (bytes) throws(WebSocketProtocolError) in
                try run(stream, bytes, maxSize: maxSize, into: &output)
            }
        }
    }

    private func run(
        _ stream: UnsafeMutablePointer<z_stream>,
        _ input: UnsafeRawBufferPointer,
        maxSize: Int,
        into output: inout WebSocketExtensionOutput
    ) throws(WebSocketProtocolError) {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = UInt32(input.count)
        defer {
            stream.pointee.next_in = nil
            stream.pointee.next_out = nil
        }
        while true {
            // Room for one byte past the limit: producing it proves the message is too big.
            let room = maxSize - output.count + 1
            guard room > 0 else { throw .tooBig("decompressed message exceeds the limit of \(maxSize) bytes") }
            let want = min(room, max(1024, input.count * 4))
            var status: Int32 = Z_OK
            var filled = false
            output.withUnusedCapacity(minimumCapacity: want, growthLimit: maxSize + 1) { space in
                let size = min(space.count, room)
                stream.pointee.next_out = space.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = UInt32(size)
                status = inflate(stream, Z_SYNC_FLUSH)
                filled = stream.pointee.avail_out == 0
                return size - Int(stream.pointee.avail_out)
            }
            if output.count > maxSize {
                throw .tooBig("decompressed message exceeds the limit of \(maxSize) bytes")
            }
            switch status {
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_STREAM_END:
                // A block with BFINAL set ended the stream: what follows (at least the tail)
                // starts a new one, with an empty window.
                inflateReset(stream)
            case Z_MEM_ERROR:
                throw WebSocketProtocolError(closeCode: .internalError, reason: "out of memory while decompressing")
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "corrupt data"
                throw WebSocketProtocolError(closeCode: .invalidFramePayloadData, reason: "invalid compressed data: \(message)")
            }
            if stream.pointee.avail_in == 0 && !filled { return }
            if status == Z_BUF_ERROR && !filled { return }
        }
    }
}
