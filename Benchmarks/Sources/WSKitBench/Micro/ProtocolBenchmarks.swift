import WSKitProtocol

/// Micro benchmarks of the sans-I/O protocol core: frames, masking, UTF-8, the handshake.
enum ProtocolBenchmarks {
    static func all() -> [MicroBenchmark] {
        [
            parse("frame.parse.text32", "frame parse: 32 B text, masked", opcode: .text, size: 32),
            parse("frame.parse.binary16k", "frame parse: 16 KiB binary, masked", opcode: .binary, size: 16384),
            encode("frame.encode.text32", "frame encode: 32 B text (server)", role: .server, size: 32),
            encode("frame.encode.binary16k", "frame encode: 16 KiB binary (server)", role: .server, size: 16384),
            encode("frame.encode.masked.text32", "frame encode: 32 B text, masked (client)", role: .client, size: 32),
            encode("frame.encode.masked.binary16k", "frame encode: 16 KiB binary, masked (client)", role: .client, size: 16384),
            MicroBenchmark(name: "mask.16k", title: "masking: 16 KiB") {
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16384, alignment: 16)
                buffer.initializeMemory(as: UInt8.self, repeating: 0x5A)
                return { n in
                    for _ in 0 ..< n { WebSocketMasking.apply(key: 0x37FA_213D, to: buffer) }
                    Sink.consume(Int(buffer[100]))
                }
            },
            utf8("utf8.ascii16k", "UTF-8 validation: 16 KiB ASCII", text: String(repeating: "The quick brown fox jumps. ", count: 700)),
            utf8("utf8.multilingual16k", "UTF-8 validation: 16 KiB mixed scripts",
                 text: String(repeating: "Grüße, 世界! Привет, мир. 🙂 ", count: 500)),
            MicroBenchmark(name: "handshake.accept", title: "handshake: Sec-WebSocket-Accept") {
                { n in
                    for _ in 0 ..< n {
                        Sink.consume(WebSocketHandshake.acceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ==").utf8.count)
                    }
                }
            },
            MicroBenchmark(name: "handshake.upgrade", title: "handshake: parse + validate + 101") {
                let request = Array((
                    "GET /chat?room=1 HTTP/1.1\r\nHost: 127.0.0.1:9001\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                        + "Origin: http://127.0.0.1\r\nUser-Agent: wskit-bench\r\n\r\n").utf8)
                var output = OutputBuffer(capacity: 1024)
                return { n in
                    for _ in 0 ..< n {
                        var parser = HTTPRequestParser()
                        guard case .complete(let head, _) = parser.parse(request),
                              case .success(let upgrade) = WebSocketHandshake.validateUpgrade(head) else {
                            fatalError("handshake.upgrade: the request did not validate")
                        }
                        HTTPResponse.switchingProtocols(for: upgrade).serialize(into: &output)
                        Sink.consume(output.count)
                        output.removeAll(keepingCapacity: true)
                    }
                }
            },
        ]
    }

    /// A masked client frame of `size` bytes whose payload, masked and unmasked, is ASCII: the
    /// engine unmasks in place, so the buffer alternates between the two and stays valid.
    static func maskedFrame(opcode: WebSocketOpcode, size: Int) -> UnsafeMutableRawBufferPointer {
        var payload = [UInt8](repeating: 0, count: size)
        for i in 0 ..< size { payload[i] = UInt8(ascii: "a") + UInt8(i % 26) }
        var engine = WebSocketEngine(role: .client, maskingKey: { 0x2A2B_2C2D })
        var output = OutputBuffer(capacity: size + 16)
        payload.withUnsafeBytes { _ = engine.send(opcode, $0, into: &output) }
        let frame = UnsafeMutableRawBufferPointer.allocate(byteCount: output.count, alignment: 16)
        output.withUnsafeReadableBytes { frame.copyMemory(from: $0) }
        return frame
    }

    static func parse(_ name: String, _ title: String, opcode: WebSocketOpcode, size: Int) -> MicroBenchmark {
        MicroBenchmark(name: name, title: title) {
            let frame = maskedFrame(opcode: opcode, size: size)
            var engine = WebSocketEngine(role: .server, limits: .default)
            var output = OutputBuffer(capacity: 256)
            return { n in
                for _ in 0 ..< n {
                    var offset = 0
                    switch engine.nextEvent(in: frame, offset: &offset, output: &output) {
                    case .text(let bytes), .binary(let bytes): Sink.consume(bytes.count)
                    default: fatalError("\(name): expected a data message")
                    }
                    if engine.nextEvent(in: frame, offset: &offset, output: &output) != nil {
                        fatalError("\(name): one frame, one event")
                    }
                }
            }
        }
    }

    static func encode(_ name: String, _ title: String, role: WebSocketRole, size: Int) -> MicroBenchmark {
        MicroBenchmark(name: name, title: title) {
            let payload = [UInt8](repeating: UInt8(ascii: "x"), count: size)
            var engine = WebSocketEngine(role: role, maskingKey: { 0x37FA_213D })
            var output = OutputBuffer(capacity: size + 64)
            let opcode: WebSocketOpcode = size > 125 ? .binary : .text
            return { n in
                payload.withUnsafeBytes { bytes in
                    for _ in 0 ..< n {
                        engine.send(opcode, bytes, into: &output)
                        Sink.consume(output.count)
                        output.removeAll(keepingCapacity: true)
                    }
                }
            }
        }
    }

    static func utf8(_ name: String, _ title: String, text: String) -> MicroBenchmark {
        MicroBenchmark(name: name, title: title) {
            let bytes = Array(text.utf8.prefix(16384))
            // Cut at a code point boundary so the message is complete.
            var end = bytes.count
            while end > 0 && bytes[end - 1] & 0xC0 == 0x80 { end -= 1 }
            if end > 0 && bytes[end - 1] >= 0xC0 { end -= 1 }
            let message = Array(bytes[..<end])
            return { n in
                message.withUnsafeBytes { raw in
                    for _ in 0 ..< n {
                        var validator = UTF8Validator()
                        let ok = validator.validate(raw) && validator.isComplete
                        Sink.consume(ok ? 1 : 0)
                    }
                }
            }
        }
    }
}
