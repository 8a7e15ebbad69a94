import Testing
@testable import WSKitProtocol

/// A toy extension owning RSV1: the wire form of a message is its bytes reversed.
struct ReversingExtension: WebSocketExtension {
    var name: String { "x-reverse" }
    var reservedBits: UInt8 { 0x40 }
    var failWith: WebSocketProtocolError?
    var decodedCount = 0

    mutating func decode(
        message: UnsafeRawBufferPointer, opcode: WebSocketOpcode, rsv: UInt8, maxSize: Int, into output: inout [UInt8]
    ) throws(WebSocketProtocolError) {
        if let failWith { throw failWith }
        precondition(rsv == 0x40)
        decodedCount += 1
        output.append(contentsOf: message.reversed())
    }

    mutating func encode(message: UnsafeRawBufferPointer, opcode: WebSocketOpcode, into output: inout [UInt8]) -> UInt8? {
        guard message.count > 3 else { return nil }  // short messages go out unchanged
        output.append(contentsOf: message.reversed())
        return 0x40
    }
}

/// The extension seam: RSV ownership and whole-message transforms.
@Suite("Extension seam")
struct ExtensionSeamTests {
    @Test("a message with the extension's RSV bit is decoded; one without passes through")
    func inboundDecode() {
        var server = EngineHarness.server(extensions: [ReversingExtension()])
        let bytes = clientFrame(.text, Array("olleH".utf8), rsv: 0x40) + clientFrame(.text, "plain")
        #expect(server.feed(bytes) == [.text("Hello"), .text("plain")])
    }

    @Test("a fragmented message is decoded once, after reassembly")
    func fragmentedDecode() {
        var server = EngineHarness.server(extensions: [ReversingExtension()])
        let bytes = clientFrame(.binary, [3, 2], fin: false, rsv: 0x40) + clientFrame(.continuation, [1])
        #expect(server.feed(bytes, chunkSize: 2) == [.binary([1, 2, 3])])
    }

    @Test("RSV bits stay errors on continuation and control frames, and for bits no extension owns")
    func rsvRules() {
        let cases: [[UInt8]] = [
            clientFrame(.text, "a", fin: false) + clientFrame(.continuation, "b", rsv: 0x40),
            clientFrame(.ping, [], rsv: 0x40),
            clientFrame(.text, "a", rsv: 0x20),
        ]
        for bytes in cases {
            var server = EngineHarness.server(extensions: [ReversingExtension()])
            #expect(server.feed(bytes) == [.failure(1002)])
        }
    }

    @Test("decoded text is validated as UTF-8")
    func decodedTextValidated() {
        var server = EngineHarness.server(extensions: [ReversingExtension()])
        // Reversed, "é" (C3 A9) becomes A9 C3: valid bytes on the wire are not text once decoded.
        #expect(server.feed(clientFrame(.text, [0xC3, 0xA9], rsv: 0x40)) == [.failure(1007)])
    }

    @Test("an extension's decoding error fails the connection with its code")
    func decodeError() {
        let error = WebSocketProtocolError(closeCode: .invalidFramePayloadData, reason: "corrupt")
        var server = EngineHarness.server(extensions: [ReversingExtension(failWith: error)])
        #expect(server.feed(clientFrame(.binary, [1], rsv: 0x40)) == [.failure(1007)])
        #expect(server.errors == [error])
        #expect(server.takeOutput() == serverFrame(.close, closeBody(1007, "corrupt")))
    }

    @Test("outbound messages are encoded and flagged with the extension's RSV bit")
    func outboundEncode() {
        var server = EngineHarness.server(extensions: [ReversingExtension()])
        var output = OutputBuffer()
        server.engine.send(text: "Hello", into: &output)
        server.engine.send(text: "Hi", into: &output)  // the extension declines
        let hel = Array("Hel".utf8)
        hel.withUnsafeBytes { _ = server.engine.send(.text, $0, fin: false, into: &output) }  // fragments are not encoded
        #expect(output.bytes == serverFrame(.text, Array("olleH".utf8), rsv: 0x40) + serverFrame(.text, Array("Hi".utf8))
            + serverFrame(.text, hel, fin: false))
    }
}
