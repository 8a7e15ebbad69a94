internal import CZlib

/// One zlib raw-deflate stream that compresses messages for permessage-deflate (RFC 7692 §7.2.1).
///
/// The `z_stream` lives at a fixed heap address (zlib keeps a pointer back to it) and is created
/// on first use, so a connection that never sends a compressed message pays only this object.
/// Not thread-safe: use it from one thread at a time (the engine's).
final class DeflateCompressor: @unchecked Sendable {
    let level: Int32
    let windowBits: Int32
    let memoryLevel: Int32
    private var stream: UnsafeMutablePointer<z_stream>?

    /// - Parameters:
    ///   - windowBits: the agreed LZ77 window (8...15); 8 runs as 9, which zlib requires for raw
    ///     deflate and which never emits a distance beyond 256 (zlib keeps distances within the
    ///     window minus 262 bytes of lookahead).
    init(level: Int, windowBits: Int, memoryLevel: Int) {
        self.level = Int32(level)
        self.windowBits = Int32(max(9, min(15, windowBits)))
        self.memoryLevel = Int32(max(1, min(9, memoryLevel)))
    }

    deinit { release() }

    /// Whether zlib state is currently allocated.
    var isAllocated: Bool { stream != nil }

    /// Frees the zlib state (the next `compress` allocates it again, with an empty window).
    func release() {
        guard let stream else { return }
        deflateEnd(stream)
        stream.deallocate()
        self.stream = nil
    }

    private func ready() -> UnsafeMutablePointer<z_stream>? {
        if let stream { return stream }
        let fresh = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        fresh.initialize(to: z_stream())
        guard czlib_deflate_init_raw(fresh, level, windowBits, memoryLevel) == Z_OK else {
            fresh.deallocate()
            return nil
        }
        stream = fresh
        return fresh
    }

    /// Compresses `input` as one message and appends the result to `output` without the final
    /// `0x00 0x00 0xff 0xff` (RFC 7692 §7.2.1). With `resetAfter`, the window is emptied
    /// afterwards (no context takeover). Returns false, leaving `output` as it was, when zlib
    /// fails (out of memory): the caller then sends the message uncompressed.
    func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8], resetAfter: Bool) -> Bool {
        guard let stream = ready() else { return false }
        let start = output.count
        var ok = true
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = UInt32(input.count)
        var chunk = Int(deflateBound(stream, UInt(input.count))) + 16
        while true {
            let before = output.count
            output.append(contentsOf: repeatElement(0, count: chunk))
            let status = output.withUnsafeMutableBytes { bytes -> Int32 in
                stream.pointee.next_out = bytes.baseAddress!.advanced(by: before).assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = UInt32(chunk)
                return deflate(stream, Z_SYNC_FLUSH)
            }
            let unused = Int(stream.pointee.avail_out)
            output.removeLast(unused)
            if status != Z_OK && status != Z_BUF_ERROR {
                ok = false
                break
            }
            // A sync flush is complete when zlib leaves output space unused.
            if unused > 0 && stream.pointee.avail_in == 0 { break }
            chunk = max(chunk, 1024)
        }
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
        let end = output.count
        if ok && end - start >= 4 && output[end - 4] == 0x00 && output[end - 3] == 0x00
            && output[end - 2] == 0xFF && output[end - 1] == 0xFF {
            output.removeLast(4)
        } else {
            ok = false
        }
        if !ok {
            output.removeLast(output.count - start)
            release()
            return false
        }
        if resetAfter { deflateReset(stream) }
        return true
    }
}
