import Testing
@testable import WSKitProtocol

/// RFC 6455 §7 (and §5.5.1): the closing handshake and close codes.
@Suite("RFC 6455 §7 closing handshake")
struct RFC6455_7_ClosingHandshakeTests {
    @Test("a peer close is echoed with its code and ends the connection")
    func peerCloseEchoed() {
        var server = EngineHarness.server()
        #expect(server.feed(clientFrame(.close, closeBody(1001, "bye"))) == [.close(1001, "bye")])
        #expect(server.takeOutput() == hex("88 02 03 e9"))
        #expect(server.engine.state == .closed)
    }

    @Test("a close without a body is reported as 1005 and answered with an empty close")
    func emptyClose() {
        var server = EngineHarness.server()
        #expect(server.feed(clientFrame(.close, [])) == [.close(1005, "")])
        #expect(server.takeOutput() == hex("88 00"))
    }

    @Test("a close with a 1-byte body fails with 1002")
    func oneByteBody() {
        var server = EngineHarness.server()
        #expect(server.feed(clientFrame(.close, [0x03])) == [.failure(1002)])
        #expect(server.takeOutput() == EngineHarness.failureClose(server.errors[0]))
    }

    @Test("close codes that may not be sent fail with 1002",
          arguments: [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535] as [UInt16])
    func invalidCodes(code: UInt16) {
        var server = EngineHarness.server()
        #expect(server.feed(clientFrame(.close, closeBody(code))) == [.failure(1002)])
        #expect(EngineHarness.closeCode(in: server.takeOutput()) == 1002)
    }

    @Test("sendable close codes are accepted and echoed",
          arguments: [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999] as [UInt16])
    func validCodes(code: UInt16) {
        var server = EngineHarness.server()
        #expect(server.feed(clientFrame(.close, closeBody(code, "r"))) == [.close(code, "r")])
        #expect(server.takeOutput() == serverFrame(.close, closeBody(code)))
    }

    @Test("a close reason that is not UTF-8 fails with 1007")
    func invalidReason() {
        var server = EngineHarness.server()
        #expect(server.feed(clientFrame(.close, closeBody(1000) + [0xCE, 0xBA, 0xE1, 0xBD])) == [.failure(1007)])
        #expect(EngineHarness.closeCode(in: server.takeOutput()) == 1007)
    }

    @Test("close() replaces codes that may not be sent by 1000", arguments: [0, 1004, 1005, 1006, 1015, 2999, 5000] as [UInt16])
    func closeSanitisesCode(code: UInt16) {
        var server = EngineHarness.server()
        var output = OutputBuffer()
        #expect(server.engine.close(code: WebSocketCloseCode(code), now: 0, into: &output))
        #expect(output.bytes == hex("88 02 03 e8"))
    }

    @Test("close() sends the code and reason and enters .closing")
    func closeSendsReason() {
        var server = EngineHarness.server()
        var output = OutputBuffer()
        #expect(server.engine.close(code: .goingAway, reason: "shutdown", now: 100, into: &output))
        #expect(output.bytes == serverFrame(.close, closeBody(1001, "shutdown")))
        #expect(server.engine.state == .closing)
        #expect(server.engine.closeHandshakeDeadline == 100 + 5_000_000_000)
    }

    @Test("close() truncates the reason to 123 bytes at a UTF-8 boundary")
    func reasonTruncation() {
        var server = EngineHarness.server()
        var output = OutputBuffer()
        server.engine.close(reason: String(repeating: "a", count: 200), now: 0, into: &output)
        #expect(output.bytes == serverFrame(.close, closeBody(1000, String(repeating: "a", count: 123))))

        var other = EngineHarness.server()
        var output2 = OutputBuffer()
        other.engine.close(reason: String(repeating: "é", count: 100), now: 0, into: &output2)  // 200 bytes
        // Byte 123 continues an "é": the cut falls back to 122 bytes.
        #expect(output2.bytes == serverFrame(.close, closeBody(1000, String(repeating: "é", count: 61))))

        var third = EngineHarness.server()
        var output3 = OutputBuffer()
        third.engine.close(reason: "ab" + String(repeating: "€", count: 50), now: 0, into: &output3)  // 2 + 150 bytes
        // Byte 123 is the second byte of the 41st "€": the cut falls back to 2 + 40 * 3 = 122 bytes.
        #expect(output3.bytes == serverFrame(.close, closeBody(1000, "ab" + String(repeating: "€", count: 40))))

        var fourth = EngineHarness.server()
        var output4 = OutputBuffer()
        fourth.engine.close(reason: "x" + String(repeating: "é", count: 100), now: 0, into: &output4)  // 201 bytes
        // Byte 123 starts an "é": 123 bytes fit exactly.
        #expect(output4.bytes == serverFrame(.close, closeBody(1000, "x" + String(repeating: "é", count: 61))))
    }

    @Test("after sending close nothing more is sent: data, pings and a second close are refused")
    func nothingAfterClose() {
        var server = EngineHarness.server()
        var output = OutputBuffer()
        server.engine.close(now: 0, into: &output)
        output.consume(output.count)
        #expect(!server.engine.send(text: "late", into: &output))
        #expect(!server.engine.send(binary: [1], into: &output))
        #expect(![UInt8]().withUnsafeBytes { server.engine.ping($0, into: &output) })
        #expect(!server.engine.close(now: 1, into: &output))
        #expect(output.isEmpty)
    }

    @Test("after sending close, peer data is parsed but not delivered and pings are not answered; the reply closes")
    func closingState() {
        var server = EngineHarness.server()
        var output = OutputBuffer()
        server.engine.close(now: 0, into: &output)
        let bytes = clientFrame(.text, "ignored") + clientFrame(.binary, [1], fin: false) + clientFrame(.ping, [2])
            + clientFrame(.continuation, [3]) + clientFrame(.close, closeBody(1000))
        #expect(server.feed(bytes) == [.close(1000, "")])
        #expect(server.takeOutput().isEmpty, "no pong and no second close")
        #expect(server.engine.state == .closed)
    }

    @Test("a protocol error after sending close fails without a second close frame")
    func failureWhileClosing() {
        var server = EngineHarness.server()
        var output = OutputBuffer()
        server.engine.close(now: 0, into: &output)
        #expect(server.feed(clientFrame(.text, [0xFF])) == [.failure(1007)])
        #expect(server.takeOutput().isEmpty)
        #expect(server.engine.state == .closed)
    }

    @Test("the close handshake times out at now + closeTimeout")
    func timeout() {
        var server = EngineHarness.server(limits: WebSocketLimits(closeTimeout: .nanoseconds(1000)))
        #expect(!server.engine.closeHandshakeTimedOut(now: .max), "not closing yet")
        var output = OutputBuffer()
        server.engine.close(now: 500, into: &output)
        #expect(!server.engine.closeHandshakeTimedOut(now: 1499))
        #expect(server.engine.closeHandshakeTimedOut(now: 1500))
        _ = server.feed(clientFrame(.close, closeBody(1000)))
        #expect(!server.engine.closeHandshakeTimedOut(now: 10_000), "closed, nothing to wait for")
    }

    @Test("a deadline past the end of the clock saturates")
    func deadlineSaturates() {
        var server = EngineHarness.server()
        var output = OutputBuffer()
        server.engine.close(now: .max - 10, into: &output)
        #expect(server.engine.closeHandshakeDeadline == .max)
        #expect(!server.engine.closeHandshakeTimedOut(now: .max - 1))
    }

    @Test("bytes after the peer's close are discarded and nothing more is produced")
    func silentAfterClose() {
        var server = EngineHarness.server()
        #expect(server.feed(clientFrame(.close, closeBody(1000)) + clientFrame(.ping, [1])) == [.close(1000, "")])
        _ = server.takeOutput()
        #expect(server.feed(clientFrame(.text, "late")) == [])
        #expect(server.takeOutput().isEmpty)
    }

    @Test("a client answers the server's close with a masked echo")
    func clientReply() {
        var client = EngineHarness.client(keys: [exampleKey])
        #expect(client.feed(serverFrame(.close, closeBody(1000, "done"))) == [.close(1000, "done")])
        #expect(client.takeOutput() == frame(0x8, closeBody(1000), mask: exampleKey))
    }

    @Test("a close split across reads is reassembled")
    func splitClose() {
        var server = EngineHarness.server()
        #expect(server.feed(clientFrame(.close, closeBody(4000, "fine")), chunkSize: 1) == [.close(4000, "fine")])
    }
}
