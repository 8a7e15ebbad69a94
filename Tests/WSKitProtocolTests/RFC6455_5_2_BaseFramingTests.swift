import Testing
@testable import WSKitProtocol

/// RFC 6455 §5.2: the base framing protocol (opcodes, RSV bits, payload length encodings).
@Suite("RFC 6455 §5.2 base framing")
struct RFC6455_5_2_BaseFramingTests {
    @Test("reserved opcodes fail the connection with 1002", arguments: [3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF] as [UInt8])
    func reservedOpcodes(opcode: UInt8) {
        var server = EngineHarness.server()
        let events = server.feed(frame(opcode, [1, 2, 3], mask: exampleKey))
        #expect(events == [.failure(1002)])
        #expect(server.takeOutput() == EngineHarness.failureClose(server.errors[0]))
        #expect(server.engine.state == .closed)
    }

    @Test("a reserved opcode fails as soon as the first two header bytes arrive")
    func reservedOpcodeFailsEarly() {
        var server = EngineHarness.server()
        #expect(server.feed([0x83, 0xFE]) == [.failure(1002)])  // 16-bit length and key not yet sent
    }

    @Test("RSV bits without a negotiated extension fail with 1002", arguments: [0x40, 0x20, 0x10, 0x70] as [UInt8])
    func reservedBits(rsv: UInt8) {
        var server = EngineHarness.server()
        #expect(server.feed(clientFrame(.text, Array("hi".utf8), rsv: rsv)) == [.failure(1002)])
        #expect(EngineHarness.closeCode(in: server.takeOutput()) == 1002)
    }

    @Test("payload lengths at each encoding boundary are parsed", arguments: [0, 1, 125, 126, 127, 65535, 65536, 70_000])
    func lengthEncodings(length: Int) {
        let payload = (0 ..< length).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var server = EngineHarness.server()
        #expect(server.feed(clientFrame(.binary, payload)) == [.binary(payload)])
        #expect(server.takeOutput().isEmpty)
    }

    @Test("frames are encoded with the minimal length encoding", arguments: [
        (125, [0x82, 0x7D]),
        (126, [0x82, 0x7E, 0x00, 0x7E]),
        (65535, [0x82, 0x7E, 0xFF, 0xFF]),
        (65536, [0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0]),
    ] as [(Int, [UInt8])])
    func encodedLengths(length: Int, header: [UInt8]) {
        let payload = [UInt8](repeating: 0xAB, count: length)
        var output = OutputBuffer()
        payload.withUnsafeBytes { WebSocketEngine.encodeFrame(.binary, $0, into: &output) }
        #expect(output.bytes == header + payload)
    }

    @Test("a 16-bit length below 126 is not minimal: 1002")
    func nonMinimal16() {
        var server = EngineHarness.server()
        let bytes: [UInt8] = [0x82, 0xFE, 0x00, 0x7D] + hex("37 fa 21 3d")
        #expect(server.feed(bytes) == [.failure(1002)])
    }

    @Test("a 64-bit length below 65536 is not minimal: 1002", arguments: [0, 125, 126, 65535] as [UInt64])
    func nonMinimal64(length: UInt64) {
        var server = EngineHarness.server()
        let bytes: [UInt8] = [0x82, 0xFF] + (0 ..< 8).map { UInt8(truncatingIfNeeded: length >> (56 - 8 * UInt64($0))) } + hex("37 fa 21 3d")
        #expect(server.feed(bytes) == [.failure(1002)])
    }

    @Test("a 64-bit length with the most significant bit set fails with 1002, from the header alone")
    func topBitSet() {
        var server = EngineHarness.server()
        let bytes: [UInt8] = [0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0] + hex("37 fa 21 3d")
        #expect(server.feed(bytes) == [.failure(1002)])
        #expect(server.errors.first?.reason.contains("most significant bit") == true)
    }

    @Test("a header split at every position yields the same message")
    func headerSplitAnywhere() {
        let payload = [UInt8](repeating: 0x5A, count: 300)
        let bytes = clientFrame(.binary, payload)
        for split in 1 ..< 8 {  // 2-byte base + 2-byte length + 4-byte key
            var server = EngineHarness.server()
            #expect(server.feed(reads: [Array(bytes[..<split]), Array(bytes[split...])]) == [.binary(payload)], "split at \(split)")
        }
    }

    @Test("several frames in one read come out in order, then nil with the read consumed")
    func severalFramesInOneRead() {
        var server = EngineHarness.server()
        let bytes = clientFrame(.text, "one") + clientFrame(.binary, [9]) + clientFrame(.text, "")
        #expect(server.feed(bytes) == [.text("one"), .binary([9]), .text("")])
        #expect(server.deliveredInPlace == [true, true, false])  // the empty message has no bytes to point at
    }

    @Test("after a failure the engine consumes input and produces nothing")
    func silentAfterFailure() {
        var server = EngineHarness.server()
        #expect(server.feed(frame(0x3, [], mask: exampleKey) + clientFrame(.text, "lost")) == [.failure(1002)])
        _ = server.takeOutput()
        #expect(server.feed(clientFrame(.text, "still lost") + clientFrame(.ping, [1])) == [])
        #expect(server.takeOutput().isEmpty)
        var output = OutputBuffer()
        #expect(!server.engine.send(text: "x", into: &output))
        #expect(output.isEmpty)
    }

    @Test("parsing starts at the given offset, e.g. after handshake bytes that shared the read")
    func startsAtOffset() {
        var engine = WebSocketEngine(role: .server)
        let head = Array("GET / HTTP/1.1\r\n\r\n".utf8)
        var input = head + clientFrame(.text, "Hello")
        var output = OutputBuffer()
        input.withUnsafeMutableBytes { raw in
            var offset = head.count
            guard case .text(let payload) = engine.nextEvent(in: raw, offset: &offset, output: &output) else {
                Issue.record("expected a text event")
                return
            }
            #expect(Array(payload) == Array("Hello".utf8))
            #expect(offset == raw.count)
            #expect(engine.nextEvent(in: raw, offset: &offset, output: &output) == nil)
        }
        #expect(input[..<head.count].elementsEqual(head), "bytes before the offset are untouched")
    }

    @Test("an empty read returns nil")
    func emptyRead() {
        var server = EngineHarness.server()
        #expect(server.feed([]) == [])
        #expect(server.engine.state == .open)
    }
}
