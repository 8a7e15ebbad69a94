/// Inbound parsing: frame headers (RFC 6455 §5.2), payloads, fragmentation (§5.4), control
/// frames (§5.5) and the peer's side of the closing handshake (§7).
extension WebSocketEngine {
    /// The outcome of reading a frame header.
    enum HeaderRead {
        /// The input ended inside the header; the bytes so far are kept in `headerBytes`.
        case incomplete
        /// The header breaks a rule or a limit.
        case failed(WebSocketProtocolError)
        /// A complete, valid header.
        case frame(WebSocketFrameHeader)
    }

    /// Reads the header at `input[offset...]`, continuing one split across reads.
    mutating func readHeader(_ input: UnsafeMutableRawBufferPointer, _ offset: inout Int) -> HeaderRead {
        let available = input.count - offset
        if headerCount == 0, available >= 2, let base = input.baseAddress {
            // Fast path: the header starts in this read.
            let start = UnsafeRawPointer(base + offset)
            let b0 = start.load(as: UInt8.self)
            let b1 = start.load(fromByteOffset: 1, as: UInt8.self)
            if let error = checkFirstBytes(b0, b1) { return .failed(error) }
            let size = WebSocketFrameHeader.size(secondByte: b1)
            if available >= size {
                offset += size
                let header = WebSocketFrameHeader(decoding: start)
                if let error = checkHeader(header) { return .failed(error) }
                return .frame(header)
            }
        }
        // Slow path: gather the header in `headerBytes`, checking the first two bytes as soon as
        // they are there so a bad frame fails without waiting for the rest of its header.
        var bytes = headerBytes
        var count = headerCount
        let result = withUnsafeMutableBytes(of: &bytes) { collected -> HeaderRead in
            func take(upTo size: Int) {
                let n = min(size - count, input.count - offset)
                guard n > 0 else { return }
                collected.baseAddress!.advanced(by: count)
                    .copyMemory(from: input.baseAddress!.advanced(by: offset), byteCount: n)
                count += n
                offset += n
            }
            if count < 2 {
                take(upTo: 2)
                if count < 2 { return .incomplete }
                if let error = checkFirstBytes(collected[0], collected[1]) { return .failed(error) }
            }
            let size = WebSocketFrameHeader.size(secondByte: collected[1])
            take(upTo: size)
            if count < size { return .incomplete }
            count = 0
            let header = WebSocketFrameHeader(decoding: UnsafeRawPointer(collected.baseAddress!))
            if let error = checkHeader(header) { return .failed(error) }
            return .frame(header)
        }
        headerBytes = bytes
        headerCount = count
        return result
    }

    /// The rules the first two header bytes decide: opcode, RSV bits, masking, control-frame
    /// shape and fragmentation sequence.
    func checkFirstBytes(_ b0: UInt8, _ b1: UInt8) -> WebSocketProtocolError? {
        let opcode = b0 & 0x0F
        let rsv = b0 & 0x70
        switch opcode {
        case 0x0:
            if rsv != 0 { return .protocolViolation("RSV bits set on a continuation frame") }
        case 0x1, 0x2:
            if rsv & ~extensionBits != 0 { return .protocolViolation("RSV bits set without a negotiated extension") }
        case 0x8, 0x9, 0xA:
            if rsv != 0 { return .protocolViolation("RSV bits set on a control frame") }
        default:
            return .protocolViolation("reserved opcode \(opcode)")
        }
        let masked = b1 & 0x80 != 0
        switch role {
        case .server where !masked: return .protocolViolation("unmasked frame from a client")
        case .client where masked: return .protocolViolation("masked frame from a server")
        default: break
        }
        if opcode & 0x8 != 0 {
            if b0 & 0x80 == 0 { return .protocolViolation("fragmented control frame") }
            if b1 & 0x7F > 125 { return .protocolViolation("control frame payload longer than 125 bytes") }
        } else if opcode == 0 {
            if messageOpcode == nil { return .protocolViolation("continuation frame without a message to continue") }
        } else if messageOpcode != nil {
            return .protocolViolation("new data message while a fragmented message is unfinished")
        }
        return nil
    }

    /// The rules the complete header decides: minimal length encoding and the size limits.
    func checkHeader(_ header: WebSocketFrameHeader) -> WebSocketProtocolError? {
        let length = header.payloadLength
        switch header.lengthField {
        case 126 where length < 126:
            return .protocolViolation("16-bit length used for a payload shorter than 126 bytes")
        case 127 where length >> 63 != 0:
            return .protocolViolation("64-bit length with the most significant bit set")
        case 127 where length <= 0xFFFF:
            return .protocolViolation("64-bit length used for a payload shorter than 65536 bytes")
        default:
            break
        }
        if length > UInt64(max(0, limits.maxFrameSize)) {
            return .tooBig("frame of \(length) bytes exceeds the limit of \(limits.maxFrameSize)")
        }
        if header.opcode & 0x8 == 0 {
            let continuing = header.opcode == 0
            let before = continuing ? messageSize : 0
            if length > UInt64(max(0, limits.maxMessageSize - before)) {
                return .tooBig("message exceeds the limit of \(limits.maxMessageSize) bytes")
            }
            if (continuing ? messageFragments + 1 : 1) > limits.maxFragments {
                return .tooBig("message exceeds the limit of \(limits.maxFragments) fragments")
            }
        }
        return nil
    }

    /// Starts reading the payload of a validated frame.
    mutating func beginFrame(_ header: WebSocketFrameHeader) {
        inFrame = true
        frameOpcode = header.opcode
        frameFin = header.fin
        frameKey = header.maskingKey
        framePhase = 0
        frameLength = Int(header.payloadLength)
        frameRemaining = frameLength
        if header.opcode & 0x8 != 0 {
            control.removeAll(retainingCapacity: .max)
            return
        }
        if header.opcode != 0 {
            messageOpcode = WebSocketOpcode(rawValue: header.opcode)
            messageRSV = header.rsv
            messageFragments = 0
            messageSize = 0
            validatesIncrementally = header.opcode == WebSocketOpcode.text.rawValue
            if header.rsv != 0 {
                // Compressed (or otherwise transformed): only an incremental decoder allows
                // validating as the message arrives.
                decodingIncrementally = selectIncrementalDecoder(rsv: header.rsv)
                validatesIncrementally = validatesIncrementally && decodingIncrementally
            }
            utf8.reset()
            if message.count > 0 { message.removeAll(retainingCapacity: .max) }
        }
        messageFragments += 1
        messageSize += frameLength
    }

    /// Consumes payload bytes of the current frame. Returns an event, or nil when the input ran
    /// out (`inFrame` stays true) or the frame ended without one (`inFrame` is false).
    mutating func readPayload(
        _ input: UnsafeMutableRawBufferPointer,
        _ offset: inout Int,
        output: inout OutputBuffer
    ) -> WebSocketEvent? {
        let taken = min(input.count - offset, frameRemaining)
        let chunk = UnsafeMutableRawBufferPointer(rebasing: input[offset ..< offset + taken])
        if let key = frameKey {
            framePhase = WebSocketMasking.apply(key: key, phase: framePhase, to: chunk)
        }
        offset += taken
        frameRemaining -= taken

        if frameOpcode & 0x8 != 0 {
            let payload: UnsafeRawBufferPointer
            if control.count == 0 && taken == frameLength {
                payload = UnsafeRawBufferPointer(chunk)  // the whole control frame is in this read
            } else {
                control.append(UnsafeRawBufferPointer(chunk))
                if frameRemaining > 0 { return nil }
                payload = control.bytes
            }
            inFrame = false
            return handleControl(payload, output: &output)
        }

        if validatesIncrementally && !utf8.validate(UnsafeRawBufferPointer(chunk)) {
            return fail(.invalidUTF8, output: &output)
        }
        // A message that is one frame, entirely in this read, is delivered in place.
        let inPlace = frameFin && messageFragments == 1 && taken == frameLength
        if !inPlace { message.append(UnsafeRawBufferPointer(chunk), growthLimit: limits.maxMessageSize) }
        if frameRemaining > 0 { return nil }
        inFrame = false
        guard frameFin else { return nil }
        return completeMessage(inPlace ? UnsafeRawBufferPointer(chunk) : message.bytes, output: &output)
    }

    /// Finishes a data message: extension decoding, the final UTF-8 check, delivery.
    mutating func completeMessage(_ wire: UnsafeRawBufferPointer, output: inout OutputBuffer) -> WebSocketEvent? {
        let opcode = messageOpcode ?? .binary
        messageOpcode = nil
        releaseMessage = true
        var payload = wire
        if messageRSV != 0 {
            if let error = decodeExtensions(wire, opcode: opcode) { return fail(error, output: &output) }
            payload = message.bytes
            if opcode == .text && !UTF8Validator.isValid(payload) { return fail(.invalidUTF8, output: &output) }
        } else if opcode == .text && !utf8.isComplete {
            return fail(.invalidUTF8, output: &output)
        }
        guard state == .open else { return nil }  // after our close: parsed, not delivered
        return opcode == .text ? .text(payload) : .binary(payload)
    }

    /// Whether one extension alone owns the message's RSV bits and decodes incrementally; if so,
    /// it becomes the message's decoder. (Out of line: never reached without extensions.)
    @inline(never)
    mutating func selectIncrementalDecoder(rsv: UInt8) -> Bool {
        var found: Int?
        for index in extensions.indices where extensions[index].reservedBits & rsv != 0 {
            if found != nil { return false }
            found = index
        }
        guard let index = found, extensions[index].reservedBits & rsv == rsv, extensions[index].decodesIncrementally else {
            return false
        }
        decoderIndex = index
        return true
    }

    /// `readPayload` for a message decoded as it arrives: control frames as usual, data frames
    /// unmasked and handed to the decoder. (Out of line: never reached without extensions.)
    @inline(never)
    mutating func readDecodedPayload(
        _ input: UnsafeMutableRawBufferPointer,
        _ offset: inout Int,
        output: inout OutputBuffer
    ) -> WebSocketEvent? {
        if frameOpcode & 0x8 != 0 { return readPayload(input, &offset, output: &output) }
        let taken = min(input.count - offset, frameRemaining)
        let chunk = UnsafeMutableRawBufferPointer(rebasing: input[offset ..< offset + taken])
        if let key = frameKey {
            framePhase = WebSocketMasking.apply(key: key, phase: framePhase, to: chunk)
        }
        offset += taken
        frameRemaining -= taken
        return decodePiece(UnsafeRawBufferPointer(chunk), output: &output)
    }

    /// Hands a piece of an incrementally decoded message to its decoder, validating decoded text
    /// as it comes, and delivers the message after its last piece. (Out of line: never reached
    /// without extensions.)
    @inline(never)
    mutating func decodePiece(_ piece: UnsafeRawBufferPointer, output: inout OutputBuffer) -> WebSocketEvent? {
        let isLast = frameFin && frameRemaining == 0
        if piece.count > 0 || isLast {
            if decoded == nil { decoded = WebSocketExtensionOutput() }
            let before = decoded!.count
            do {
                try extensions[decoderIndex].decode(
                    fragment: piece, isLast: isLast, opcode: messageOpcode ?? .binary, rsv: messageRSV,
                    maxSize: limits.maxMessageSize, into: &decoded!)
            } catch {
                return fail(error, output: &output)
            }
            if decoded!.count > limits.maxMessageSize {
                return fail(.tooBig("decoded message exceeds the limit of \(limits.maxMessageSize) bytes"), output: &output)
            }
            if validatesIncrementally && !utf8.validate(UnsafeRawBufferPointer(rebasing: decoded!.bytes[before...])) {
                return fail(.invalidUTF8, output: &output)
            }
        }
        if frameRemaining > 0 { return nil }
        inFrame = false
        guard frameFin else { return nil }
        let opcode = messageOpcode ?? .binary
        messageOpcode = nil
        decodingIncrementally = false
        releaseMessage = true
        if opcode == .text && !utf8.isComplete { return fail(.invalidUTF8, output: &output) }
        guard state == .open else { return nil }  // after our close: parsed, not delivered
        let payload = decoded!.bytes
        return opcode == .text ? .text(payload) : .binary(payload)
    }

    /// Runs the decoders whose RSV bits the message carries, in reverse negotiation order,
    /// leaving the decoded message in `message`.
    mutating func decodeExtensions(_ wire: UnsafeRawBufferPointer, opcode: WebSocketOpcode) -> WebSocketProtocolError? {
        var current = wire
        for index in extensions.indices.reversed() {
            let bits = extensions[index].reservedBits & messageRSV
            guard bits != 0 else { continue }
            var decoded: [UInt8] = []
            do {
                try extensions[index].decode(
                    message: current, opcode: opcode, rsv: bits, maxSize: limits.maxMessageSize, into: &decoded)
            } catch {
                return error
            }
            if decoded.count > limits.maxMessageSize {
                return .tooBig("decoded message exceeds the limit of \(limits.maxMessageSize) bytes")
            }
            decoded.withUnsafeBytes { message.replace(with: $0) }
            current = message.bytes
        }
        return nil
    }

    /// Acts on a complete control frame.
    mutating func handleControl(_ payload: UnsafeRawBufferPointer, output: inout OutputBuffer) -> WebSocketEvent? {
        switch frameOpcode {
        case WebSocketOpcode.ping.rawValue:
            guard state == .open else { return nil }
            writeFrame(WebSocketOpcode.pong.rawValue, fin: true, rsv: 0, payload, into: &output)
            return .ping(payload)
        case WebSocketOpcode.pong.rawValue:
            return state == .open ? .pong(payload) : nil
        default:
            return receiveClose(payload, output: &output)
        }
    }

    /// The peer's close frame (RFC 6455 §5.5.1, §7.1.5, §7.4).
    mutating func receiveClose(_ payload: UnsafeRawBufferPointer, output: inout OutputBuffer) -> WebSocketEvent {
        var code = WebSocketCloseCode.noStatusReceived
        var reason = ""
        if payload.count == 1 {
            return fail(.protocolViolation("close frame with a 1-byte body"), output: &output)
        }
        if payload.count >= 2 {
            code = WebSocketCloseCode(UInt16(payload[0]) << 8 | UInt16(payload[1]))
            guard code.isSendable else {
                return fail(.protocolViolation("close code \(code.rawValue) may not be sent"), output: &output)
            }
            let reasonBytes = UnsafeRawBufferPointer(rebasing: payload[2...])
            guard UTF8Validator.isValid(reasonBytes) else {
                return fail(
                    WebSocketProtocolError(closeCode: .invalidFramePayloadData, reason: "close reason is not valid UTF-8"),
                    output: &output)
            }
            reason = String(decoding: reasonBytes, as: UTF8.self)
        }
        if state == .open {
            writeCloseFrame(code == .noStatusReceived ? nil : code, reason: "", into: &output)
        }
        terminate()
        return .close(code, reason: reason)
    }

    /// Fails the connection: sends a close with the error's code unless we already sent one.
    mutating func fail(_ error: WebSocketProtocolError, output: inout OutputBuffer) -> WebSocketEvent {
        if state == .open {
            let code = error.closeCode.isSendable ? error.closeCode : .protocolError
            writeCloseFrame(code, reason: error.reason, into: &output)
        }
        terminate()
        return .failure(error)
    }
}

extension WebSocketProtocolError {
    /// A 1002 error.
    static func protocolViolation(_ reason: String) -> WebSocketProtocolError {
        WebSocketProtocolError(closeCode: .protocolError, reason: reason)
    }

    /// A 1009 error.
    static func tooBig(_ reason: String) -> WebSocketProtocolError {
        WebSocketProtocolError(closeCode: .messageTooBig, reason: reason)
    }

    /// The 1007 error for a text message that is not UTF-8.
    static let invalidUTF8 = WebSocketProtocolError(closeCode: .invalidFramePayloadData, reason: "text message is not valid UTF-8")
}
