import Testing
@testable import WSKitProtocol

/// RFC 6455 §5.6 data frames, with the §5.7 examples byte for byte.
@Suite("RFC 6455 §5.6 data frames and §5.7 examples")
struct RFC6455_5_6_DataFrameTests {
    @Test("§5.7: a single-frame unmasked text message")
    func unmaskedHello() {
        var client = EngineHarness.client()
        #expect(client.feed(hex("81 05 48 65 6c 6c 6f")) == [.text("Hello")])
        #expect(client.deliveredInPlace == [true])
    }

    @Test("§5.7: a single-frame masked text message")
    func maskedHello() {
        var server = EngineHarness.server()
        #expect(server.feed(hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")) == [.text("Hello")])
    }

    @Test("§5.7: a fragmented unmasked text message")
    func fragmentedHello() {
        var client = EngineHarness.client()
        #expect(client.feed(hex("01 03 48 65 6c") + hex("80 02 6c 6f")) == [.text("Hello")])
    }

    @Test("§5.7: an unmasked ping, answered by the masked pong of the example")
    func pingAndMaskedPong() {
        var client = EngineHarness.client(keys: [exampleKey])
        #expect(client.feed(hex("89 05 48 65 6c 6c 6f")) == [.ping(Array("Hello".utf8))])
        #expect(client.takeOutput() == hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58"))
    }

    @Test("§5.7: a masked pong")
    func maskedPong() {
        var server = EngineHarness.server()
        #expect(server.feed(hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58")) == [.pong(Array("Hello".utf8))])
    }

    @Test("§5.7: 256 bytes of binary data in a single unmasked frame")
    func binary256() {
        let payload = (0 ..< 256).map { UInt8($0) }
        var client = EngineHarness.client()
        #expect(client.feed(hex("82 7E 01 00") + payload) == [.binary(payload)])
        var server = EngineHarness.server()
        var output = OutputBuffer()
        server.engine.send(binary: payload, into: &output)
        #expect(output.bytes == hex("82 7E 01 00") + payload)
    }

    @Test("§5.7: 64 KiB of binary data in a single unmasked frame")
    func binary64K() {
        let payload = (0 ..< 65536).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        var client = EngineHarness.client()
        #expect(client.feed(hex("82 7F 00 00 00 00 00 01 00 00") + payload) == [.binary(payload)])
        var server = EngineHarness.server()
        var output = OutputBuffer()
        server.engine.send(binary: payload, into: &output)
        #expect(output.bytes == hex("82 7F 00 00 00 00 00 01 00 00") + payload)
    }

    @Test("a client encodes \"Hello\" as the masked example of §5.7")
    func clientEncodesMaskedHello() {
        var client = EngineHarness.client(keys: [exampleKey])
        var output = OutputBuffer()
        #expect(client.engine.send(text: "Hello", into: &output))
        #expect(output.bytes == hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"))
    }

    @Test("a client's large masked frame round-trips through a server engine")
    func clientToServerRoundTrip() {
        let payload = (0 ..< 70_001).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var client = EngineHarness.client(keys: [0x9E37_79B9])
        var output = OutputBuffer()
        client.engine.send(binary: payload, into: &output)
        #expect(output.bytes == frame(0x2, payload, mask: 0x9E37_79B9))
        var server = EngineHarness.server()
        #expect(server.feed(output.bytes, chunkSize: 4096) == [.binary(payload)])
    }

    @Test("encodeFrame writes the RSV bits, fin and opcode it is given")
    func encodeFrameFields() {
        var output = OutputBuffer()
        [UInt8]([1, 2]).withUnsafeBytes { WebSocketEngine.encodeFrame(.text, $0, fin: false, rsv: 0x40, into: &output) }
        #expect(output.bytes == hex("41 02 01 02"))
    }

    @Test("binary payloads are not checked as text")
    func binaryIsOpaque() {
        var server = EngineHarness.server()
        #expect(server.feed(clientFrame(.binary, [0xFF, 0xFE, 0xC0, 0x80])) == [.binary([0xFF, 0xFE, 0xC0, 0x80])])
    }

    @Test("a received payload can be echoed straight back before the next pull")
    func echoFromEvent() {
        var engine = WebSocketEngine(role: .server)
        var input = clientFrame(.text, "echo me") + clientFrame(.text, "me too")
        var output = OutputBuffer()
        input.withUnsafeMutableBytes { raw in
            var offset = 0
            while let event = engine.nextEvent(in: raw, offset: &offset, output: &output) {
                if case .text(let payload) = event { engine.send(.text, payload, into: &output) }
            }
        }
        #expect(output.bytes == hex("81 07") + Array("echo me".utf8) + hex("81 06") + Array("me too".utf8))
    }
}
