import Testing
@testable import WSKitProtocol

/// RFC 6455 §5.4: fragmentation.
@Suite("RFC 6455 §5.4 fragmentation")
struct RFC6455_5_4_FragmentationTests {
    @Test("fragments are reassembled into one message")
    func reassembly() {
        var server = EngineHarness.server()
        let bytes = clientFrame(.text, "Hel", fin: false) + clientFrame(.continuation, "lo, ", fin: false)
            + clientFrame(.continuation, "world")
        #expect(server.feed(bytes) == [.text("Hello, world")])
        #expect(server.deliveredInPlace == [false])
    }

    @Test("each fragment in its own read produces the message only after the final one")
    func fragmentsInSeparateReads() {
        var server = EngineHarness.server()
        #expect(server.feed(clientFrame(.binary, [1, 2], fin: false)) == [])
        #expect(server.feed(clientFrame(.continuation, [], fin: false)) == [])
        #expect(server.feed(clientFrame(.continuation, [3])) == [.binary([1, 2, 3])])
    }

    @Test("a continuation frame without a message to continue fails with 1002", arguments: [true, false])
    func orphanContinuation(fin: Bool) {
        var server = EngineHarness.server()
        #expect(server.feed(clientFrame(.continuation, "x", fin: fin)) == [.failure(1002)])
        #expect(EngineHarness.closeCode(in: server.takeOutput()) == 1002)
    }

    @Test("a continuation after a completed message fails with 1002")
    func continuationAfterEnd() {
        var server = EngineHarness.server()
        #expect(server.feed(clientFrame(.text, "done") + clientFrame(.continuation, "more")) == [.text("done"), .failure(1002)])
    }

    @Test("a new data message while a fragmented one is unfinished fails with 1002", arguments: [WebSocketOpcode.text, .binary])
    func interleavedDataMessage(opcode: WebSocketOpcode) {
        var server = EngineHarness.server()
        let bytes = clientFrame(.text, "part", fin: false) + clientFrame(opcode, [0x41])
        #expect(server.feed(bytes) == [.failure(1002)])
    }

    @Test("control frames may come between fragments")
    func controlBetweenFragments() {
        var server = EngineHarness.server()
        let bytes = clientFrame(.text, "Hel", fin: false) + clientFrame(.ping, [7]) + clientFrame(.pong, [8])
            + clientFrame(.continuation, "lo")
        #expect(server.feed(bytes) == [.ping([7]), .pong([8]), .text("Hello")])
        #expect(server.takeOutput() == serverFrame(.pong, [7]))
    }

    @Test("a close between fragments ends the connection without delivering the partial message")
    func closeBetweenFragments() {
        var server = EngineHarness.server()
        let bytes = clientFrame(.text, "Hel", fin: false) + clientFrame(.close, closeBody(1000))
            + clientFrame(.continuation, "lo")
        #expect(server.feed(bytes) == [.close(1000, "")])
        #expect(server.takeOutput() == serverFrame(.close, closeBody(1000)))
    }

    @Test("fragments split byte by byte reassemble the same")
    func fragmentsByteByByte() {
        var server = EngineHarness.server()
        let bytes = clientFrame(.text, "κόσ", fin: false) + clientFrame(.ping, []) + clientFrame(.continuation, "με")
        #expect(server.feed(bytes, chunkSize: 1) == [.ping([]), .text("κόσμε")])
    }

    @Test("sending a fragmented message writes first, continuation and final frames")
    func sendFragmented() {
        var server = EngineHarness.server()
        var output = OutputBuffer()
        let hel = Array("Hel".utf8), lo = Array("lo".utf8)
        #expect(hel.withUnsafeBytes { server.engine.send(.text, $0, fin: false, into: &output) })
        #expect(server.engine.ping(UnsafeRawBufferPointer(start: nil, count: 0), into: &output))
        #expect(lo.withUnsafeBytes { server.engine.send(.continuation, $0, into: &output) })
        // RFC 6455 §5.7: "01 03 48 65 6c" and "80 02 6c 6f".
        #expect(output.bytes == hex("01 03 48 65 6c") + hex("89 00") + hex("80 02 6c 6f"))
    }

    @Test("send refuses a continuation with no message open, and a new message while one is open")
    func sendSequenceMisuse() {
        var server = EngineHarness.server()
        var output = OutputBuffer()
        let bytes: [UInt8] = [1]
        #expect(!bytes.withUnsafeBytes { server.engine.send(.continuation, $0, into: &output) })
        #expect(bytes.withUnsafeBytes { server.engine.send(.binary, $0, fin: false, into: &output) })
        #expect(!server.engine.send(text: "interleaved", into: &output))
        #expect(!bytes.withUnsafeBytes { server.engine.send(.close, $0, into: &output) })
        #expect(output.bytes == hex("02 01 01"))
    }
}
