/// Outbound frames: data messages (RFC 6455 §5.6), ping/pong (§5.5.2, §5.5.3) and our side of
/// the closing handshake (§5.5.1, §7.1.2).
extension WebSocketEngine {
    /// Appends one data frame: opcode `.text`/`.binary` for the first frame of a message,
    /// `.continuation` after it; `fin: false` to fragment.
    ///
    /// `.ping` and `.pong` are also accepted as single control frames (fin, at most 125 bytes).
    /// Client frames are masked with a fresh key. Unfragmented text and binary messages pass
    /// through the negotiated extensions' `encode`.
    ///
    /// - Returns: false, writing nothing, unless the state is `.open` and the frame fits the
    ///   sequence: `.continuation` only inside a fragmented message we are sending, `.text` /
    ///   `.binary` only outside one, never `.close` (use `close(code:reason:now:into:)`).
    @discardableResult
    public mutating func send(
        _ opcode: WebSocketOpcode,
        _ payload: UnsafeRawBufferPointer,
        fin: Bool = true,
        into output: inout OutputBuffer
    ) -> Bool {
        send(opcode, payload, fin: fin, compression: .automatic, into: &output)
    }

    /// Appends one data frame as `send(_:_:fin:into:)` does, with a per-message override of the
    /// negotiated compression policy for an unfragmented text or binary message (ignored for
    /// other frames, and when no extension that transforms messages was negotiated).
    @discardableResult
    public mutating func send(
        _ opcode: WebSocketOpcode,
        _ payload: UnsafeRawBufferPointer,
        fin: Bool = true,
        compression: WebSocketCompression,
        into output: inout OutputBuffer
    ) -> Bool {
        guard state == .open else { return false }
        switch opcode {
        case .text, .binary:
            guard !sendingFragmentedMessage else { return false }
            sendingFragmentedMessage = !fin
            if fin && !extensions.isEmpty {
                sendEncoded(opcode, payload, compression: compression, into: &output)
                return true
            }
        case .continuation:
            guard sendingFragmentedMessage else { return false }
            sendingFragmentedMessage = !fin
        case .ping, .pong:
            guard fin, payload.count <= 125 else { return false }
        case .close:
            return false
        }
        writeFrame(opcode.rawValue, fin: fin, rsv: 0, payload, into: &output)
        return true
    }

    /// Appends a complete text message.
    @discardableResult
    public mutating func send(text: String, into output: inout OutputBuffer) -> Bool {
        var text = text
        return text.withUTF8 { send(.text, UnsafeRawBufferPointer($0), into: &output) }
    }

    /// Appends a complete binary message.
    @discardableResult
    public mutating func send(binary: [UInt8], into output: inout OutputBuffer) -> Bool {
        binary.withUnsafeBytes { send(.binary, $0, into: &output) }
    }

    /// Appends a ping; returns false, writing nothing, unless `.open` and `payload` is at most 125 bytes.
    @discardableResult
    public mutating func ping(_ payload: UnsafeRawBufferPointer, into output: inout OutputBuffer) -> Bool {
        send(.ping, payload, into: &output)
    }

    /// Appends an unsolicited pong (a one-way heartbeat, RFC 6455 §5.5.3); returns false, writing
    /// nothing, unless `.open` and `payload` is at most 125 bytes.
    @discardableResult
    public mutating func pong(_ payload: UnsafeRawBufferPointer, into output: inout OutputBuffer) -> Bool {
        send(.pong, payload, into: &output)
    }

    /// Starts the closing handshake (state → `.closing`) unless already closing or closed.
    ///
    /// Codes that may not be sent (1005, 1006, 1015, out of range) are replaced by 1000; the
    /// reason is truncated to fit 123 bytes at a UTF-8 boundary. `now` is the caller's monotonic
    /// time in nanoseconds; the peer's reply is due by `now + limits.closeTimeout`.
    @discardableResult
    public mutating func close(
        code: WebSocketCloseCode = .normalClosure,
        reason: String = "",
        now: UInt64,
        into output: inout OutputBuffer
    ) -> Bool {
        guard state == .open else { return false }
        writeCloseFrame(code.isSendable ? code : .normalClosure, reason: reason, into: &output)
        state = .closing
        sendingFragmentedMessage = false
        let (deadline, overflow) = now.addingReportingOverflow(limits.closeTimeout.saturatingNanoseconds)
        closeHandshakeDeadline = overflow ? .max : deadline
        return true
    }

    /// Encodes one unmasked (server) frame without an engine, for example to encode a pub/sub
    /// message once for many subscribers. `rsv` holds RSV bits in their first-byte positions
    /// (`0x40` RSV1, `0x20` RSV2, `0x10` RSV3).
    public static func encodeFrame(
        _ opcode: WebSocketOpcode,
        _ payload: UnsafeRawBufferPointer,
        fin: Bool = true,
        rsv: UInt8 = 0,
        into output: inout OutputBuffer
    ) {
        WebSocketFrameEncoder.append(
            opcode: opcode.rawValue, fin: fin, rsv: rsv, payload: payload, maskingKey: nil, to: &output)
    }

    /// Writes the header of one unmasked (server) frame whose `payloadLength` bytes follow it —
    /// for callers that place the payload themselves (a pub/sub frame encoded once into its own
    /// storage). `header` must have room for 10 bytes; returns the header's length (2, 4 or 10).
    public static func encodeFrameHeader(
        _ opcode: WebSocketOpcode, payloadLength: Int, fin: Bool = true, rsv: UInt8 = 0,
        into header: UnsafeMutableRawBufferPointer
    ) -> Int {
        precondition(header.count >= 10, "a server frame header needs 10 bytes")
        return WebSocketFrameEncoder.writeHeader(
            opcode: opcode.rawValue, fin: fin, rsv: rsv, length: payloadLength, maskingKey: nil, into: header)
    }

    /// Appends bytes that already form complete unmasked (server) frames, such as a pub/sub
    /// message encoded once for many subscribers with `encodeFrame`.
    ///
    /// With permessage-deflate negotiated, a single unfragmented, uncompressed text or binary
    /// frame is compressed on the way (with a shared compressor, once per thread for all the
    /// connections it is sent to in a row); anything else is appended as is. Returns false,
    /// appending nothing, unless the state is `.open`.
    @discardableResult
    public mutating func sendEncodedFrames(_ frames: UnsafeRawBufferPointer, into output: inout OutputBuffer) -> Bool {
        guard state == .open else { return false }
        if extensions.count == 1, !sendingFragmentedMessage, frames.count >= 2, let deflate = extensions[0] as? PerMessageDeflate {
            let b0 = frames[0], b1 = frames[1]
            let opcode = b0 & 0x0F
            let headerSize = WebSocketFrameHeader.size(secondByte: b1)
            if b0 & 0xF0 == 0x80, opcode == 1 || opcode == 2, b1 & 0x80 == 0, frames.count >= headerSize {
                let header = WebSocketFrameHeader(decoding: frames.baseAddress!)
                if UInt64(frames.count - headerSize) == header.payloadLength {
                    let payload = UnsafeRawBufferPointer(rebasing: frames[headerSize...])
                    var scratch = encodeScratch
                    encodeScratch = []
                    scratch.removeAll(keepingCapacity: true)
                    if let rsv = deflate.encodeFanOut(message: payload, into: &scratch) {
                        scratch.withUnsafeBytes { writeFrame(opcode, fin: true, rsv: rsv, $0, into: &output) }
                    } else {
                        output.append(frames)
                    }
                    if scratch.capacity <= Self.retainedEncodeCapacity { encodeScratch = scratch }
                    return true
                }
            }
        }
        output.append(frames)
        return true
    }

    /// Appends a frame, masked with a fresh key when we are the client.
    mutating func writeFrame(
        _ opcode: UInt8,
        fin: Bool,
        rsv: UInt8,
        _ payload: UnsafeRawBufferPointer,
        into output: inout OutputBuffer
    ) {
        let key: UInt32? = role == .client ? maskingKey() : nil
        WebSocketFrameEncoder.append(opcode: opcode, fin: fin, rsv: rsv, payload: payload, maskingKey: key, to: &output)
    }

    /// Appends a close frame: empty body when `code` is nil, else the code and the reason
    /// truncated to 123 bytes at a UTF-8 boundary.
    mutating func writeCloseFrame(_ code: WebSocketCloseCode?, reason: String, into output: inout OutputBuffer) {
        var body: [UInt8] = []
        if let code {
            let reasonBytes = Array(reason.utf8)
            var end = min(reasonBytes.count, 123)
            if end < reasonBytes.count {
                while end > 0 && reasonBytes[end] & 0xC0 == 0x80 { end -= 1 }
            }
            body.reserveCapacity(2 + end)
            body.append(UInt8(truncatingIfNeeded: code.rawValue >> 8))
            body.append(UInt8(truncatingIfNeeded: code.rawValue))
            body.append(contentsOf: reasonBytes[..<end])
        }
        body.withUnsafeBytes { writeFrame(WebSocketOpcode.close.rawValue, fin: true, rsv: 0, $0, into: &output) }
    }

    /// Sends an unfragmented message through the extensions' encoders, in negotiation order.
    mutating func sendEncoded(
        _ opcode: WebSocketOpcode,
        _ payload: UnsafeRawBufferPointer,
        compression: WebSocketCompression,
        into output: inout OutputBuffer
    ) {
        if extensions.count == 1 {
            // One extension (permessage-deflate): encode into the reused scratch buffer.
            var scratch = encodeScratch
            encodeScratch = []
            scratch.removeAll(keepingCapacity: true)
            if let bits = extensions[0].encode(message: payload, opcode: opcode, compression: compression, into: &scratch) {
                let rsv = bits & extensions[0].reservedBits
                scratch.withUnsafeBytes { writeFrame(opcode.rawValue, fin: true, rsv: rsv, $0, into: &output) }
            } else {
                writeFrame(opcode.rawValue, fin: true, rsv: 0, payload, into: &output)
            }
            if scratch.capacity <= Self.retainedEncodeCapacity { encodeScratch = scratch }
            return
        }
        var encoded: [UInt8]?
        var rsv: UInt8 = 0
        for index in extensions.indices {
            var next: [UInt8] = []
            let bits: UInt8?
            if let current = encoded {
                bits = current.withUnsafeBytes {
                    extensions[index].encode(message: $0, opcode: opcode, compression: compression, into: &next)
                }
            } else {
                bits = extensions[index].encode(message: payload, opcode: opcode, compression: compression, into: &next)
            }
            if let bits {
                rsv |= bits & extensions[index].reservedBits
                encoded = next
            }
        }
        if let encoded {
            encoded.withUnsafeBytes { writeFrame(opcode.rawValue, fin: true, rsv: rsv, $0, into: &output) }
        } else {
            writeFrame(opcode.rawValue, fin: true, rsv: 0, payload, into: &output)
        }
    }
}
