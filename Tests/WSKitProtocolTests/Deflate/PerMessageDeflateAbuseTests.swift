import Testing
@testable import WSKitProtocol

/// Hostile compressed input: each gets its close code, and none makes the engine allocate past
/// the message size limit.
@Suite("permessage-deflate abuse")
struct PerMessageDeflateAbuseTests {
    @Test("a 1 KiB frame that inflates past the limit fails with 1009")
    func bomb() throws {
        let bomb = deflated([UInt8](repeating: 0, count: 4 << 20))
        let frame = Array(bomb.prefix(1024))  // about a megabyte of zeros
        var server = deflateServer(limits: WebSocketLimits(maxMessageSize: 64 * 1024))
        #expect(server.feed(clientFrame(.binary, frame, rsv: 0x40)) == [.failure(1009)])
        #expect(EngineHarness.closeCode(in: server.takeOutput()) == 1009)
    }

    @Test("the inflated size is checked while inflating: the buffer never grows past the limit")
    func bombIsBoundedWhileInflating() throws {
        let bomb = deflated([UInt8](repeating: 0, count: 4 << 20))
        let decompressor = DeflateDecompressor(windowBits: 15)
        var output = WebSocketExtensionOutput()
        let limit = 100_000
        #expect(throws: WebSocketProtocolError.self) {
            try bomb.withUnsafeBytes { try decompressor.decompress($0, isLast: true, maxSize: limit, into: &output) }
        }
        #expect(output.buffer.capacity <= limit + 1)
        #expect(output.count <= limit + 1)
    }

    @Test("a message exactly at the limit is delivered")
    func atTheLimit() {
        let payload = [UInt8](repeating: 0x41, count: 4096)
        var server = deflateServer(limits: WebSocketLimits(maxMessageSize: 4096))
        #expect(server.feed(clientFrame(.binary, deflated(payload), rsv: 0x40)) == [.binary(payload)])
    }

    @Test("a fragmented bomb fails as soon as the inflated size passes the limit")
    func fragmentedBomb() {
        let bomb = deflated([UInt8](repeating: 0, count: 1 << 20))
        var frames = clientFrame(.binary, Array(bomb.prefix(100)), fin: false, rsv: 0x40)
        for index in stride(from: 100, to: bomb.count, by: 100) {
            frames += clientFrame(.continuation, Array(bomb[index ..< min(index + 100, bomb.count)]), fin: false)
        }
        var server = deflateServer(limits: WebSocketLimits(maxMessageSize: 16 * 1024))
        #expect(server.feed(frames) == [.failure(1009)])
    }

    @Test("a compressed (RSV1) control frame fails with 1002")
    func compressedControlFrame() {
        for opcode in [WebSocketOpcode.ping, .pong, .close] {
            var server = deflateServer()
            #expect(server.feed(clientFrame(opcode, hex("f2 48 cd c9 c9 07 00"), rsv: 0x40)) == [.failure(1002)])
        }
    }

    @Test("RSV1 on a continuation frame fails with 1002")
    func rsv1OnContinuation() {
        var server = deflateServer()
        let frames = clientFrame(.text, hex("f2 48 cd"), fin: false, rsv: 0x40) + clientFrame(.continuation, hex("c9 c9 07 00"), rsv: 0x40)
        #expect(server.feed(frames) == [.failure(1002)])
    }

    @Test("RSV2 or RSV3 stay protocol errors with permessage-deflate negotiated")
    func otherReservedBits() {
        for rsv: UInt8 in [0x20, 0x10, 0x60] {
            var server = deflateServer()
            #expect(server.feed(clientFrame(.text, hex("f2 48 cd c9 c9 07 00"), rsv: rsv)) == [.failure(1002)])
        }
    }

    @Test("RSV1 without permessage-deflate negotiated fails with 1002")
    func rsv1WithoutDeflate() {
        var server = EngineHarness.server()
        #expect(server.feed(clientFrame(.text, hex("f2 48 cd c9 c9 07 00"), rsv: 0x40)) == [.failure(1002)])
    }

    @Test("a malformed deflate stream fails with 1007")
    func malformedStream() {
        for payload in [hex("ff ff ff ff"), hex("07 ff 00 00"), hex("f2 48 cd c9 c9 07 00 ff ee dd")] {
            var server = deflateServer()
            #expect(server.feed(clientFrame(.binary, payload, rsv: 0x40)) == [.failure(1007)], "\(payload)")
            #expect(EngineHarness.closeCode(in: server.takeOutput()) == 1007)
        }
    }

    @Test("inflated text that is not UTF-8 fails with 1007, also when the bad byte comes early")
    func inflatedTextIsValidated() {
        var server = deflateServer()
        #expect(server.feed(clientFrame(.text, deflated([0x48, 0xC3, 0x28, 0x48]), rsv: 0x40)) == [.failure(1007)])
        var truncated = deflateServer()
        #expect(truncated.feed(clientFrame(.text, deflated([0x48, 0xE2, 0x82]), rsv: 0x40)) == [.failure(1007)])
        // Fail fast: the first fragment already inflates to invalid UTF-8.
        var early = deflateServer()
        let bad = deflated([0xFF] + Array(repeating: 0x41, count: 100))
        #expect(early.feed(clientFrame(.text, bad, fin: false, rsv: 0x40)) == [.failure(1007)])
    }

    @Test("with no context takeover a shared decompressor is left clean after a failure")
    func sharedStreamsSurviveFailures() {
        let streams = PerMessageDeflateStreams()
        let parameters = PerMessageDeflateParameters(serverNoContextTakeover: true, clientNoContextTakeover: true)
        var bad = deflateServer(parameters, streams: streams)
        #expect(bad.feed(clientFrame(.binary, hex("f2 48 cd c9 c9 07 00 ff ee dd"), rsv: 0x40)) == [.failure(1007)])
        var good = deflateServer(parameters, streams: streams)
        #expect(good.feed(clientFrame(.text, hex("f2 48 cd c9 c9 07 00"), rsv: 0x40)) == [.text("Hello")])
    }
}
