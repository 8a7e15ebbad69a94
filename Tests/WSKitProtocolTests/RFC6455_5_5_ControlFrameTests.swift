import Testing
@testable import WSKitProtocol

/// RFC 6455 §5.5: control frames (ping, pong; close is covered with §7).
@Suite("RFC 6455 §5.5 control frames")
struct RFC6455_5_5_ControlFrameTests {
    @Test("a ping is answered by a pong with the same payload")
    func pingPong() {
        var server = EngineHarness.server()
        #expect(server.feed(clientFrame(.ping, Array("Hello".utf8))) == [.ping(Array("Hello".utf8))])
        #expect(server.takeOutput() == hex("8a 05 48 65 6c 6c 6f"))
    }

    @Test("a ping with the maximum 125-byte payload is answered in full")
    func maxPing() {
        let payload = (0 ..< 125).map { UInt8($0) }
        var server = EngineHarness.server()
        #expect(server.feed(clientFrame(.ping, payload)) == [.ping(payload)])
        #expect(server.takeOutput() == serverFrame(.pong, payload))
    }

    @Test("a client's pong is masked")
    func clientPongMasked() {
        var client = EngineHarness.client()
        #expect(client.feed(serverFrame(.ping, [1, 2, 3, 4, 5])) == [.ping([1, 2, 3, 4, 5])])
        #expect(client.takeOutput() == frame(0xA, [1, 2, 3, 4, 5], mask: exampleKey))
    }

    @Test("an unsolicited pong is delivered and not answered")
    func unsolicitedPong() {
        var server = EngineHarness.server()
        #expect(server.feed(clientFrame(.pong, [9, 9])) == [.pong([9, 9])])
        #expect(server.takeOutput().isEmpty)
    }

    @Test("a fragmented control frame fails with 1002", arguments: [WebSocketOpcode.ping, .pong, .close])
    func fragmentedControl(opcode: WebSocketOpcode) {
        var server = EngineHarness.server()
        #expect(server.feed(clientFrame(opcode, [], fin: false)) == [.failure(1002)])
        #expect(EngineHarness.closeCode(in: server.takeOutput()) == 1002)
    }

    @Test("a control frame longer than 125 bytes fails with 1002 before its payload arrives", arguments: [WebSocketOpcode.ping, .pong, .close])
    func oversizedControl(opcode: WebSocketOpcode) {
        var server = EngineHarness.server()
        let bytes = clientFrame(opcode, [UInt8](repeating: 0, count: 126))
        #expect(server.feed(Array(bytes[..<2])) == [.failure(1002)])
    }

    @Test("RSV bits on a control frame fail with 1002")
    func controlWithRSV() {
        var server = EngineHarness.server()
        #expect(server.feed(clientFrame(.ping, [], rsv: 0x40)) == [.failure(1002)])
    }

    @Test("a ping split across reads is reassembled and answered once")
    func splitPing() {
        var server = EngineHarness.server()
        let bytes = clientFrame(.ping, Array("split ping".utf8))
        #expect(server.feed(bytes, chunkSize: 3) == [.ping(Array("split ping".utf8))])
        #expect(server.takeOutput() == serverFrame(.pong, Array("split ping".utf8)))
    }

    @Test("ping and pong refuse payloads over 125 bytes and write nothing")
    func pingPayloadLimit() {
        var server = EngineHarness.server()
        var output = OutputBuffer()
        let big = [UInt8](repeating: 1, count: 126)
        let max = [UInt8](repeating: 2, count: 125)
        #expect(!big.withUnsafeBytes { server.engine.ping($0, into: &output) })
        #expect(!big.withUnsafeBytes { server.engine.pong($0, into: &output) })
        #expect(output.isEmpty)
        #expect(max.withUnsafeBytes { server.engine.ping($0, into: &output) })
        #expect(output.bytes == serverFrame(.ping, max))
    }
}
