import Testing
@testable import WSKitProtocol

/// A server engine with permessage-deflate negotiated with `parameters`.
func deflateServer(
    _ parameters: PerMessageDeflateParameters = PerMessageDeflateParameters(),
    options: PerMessageDeflateOptions = PerMessageDeflateOptions(threshold: 0),
    limits: WebSocketLimits = .default,
    streams: PerMessageDeflateStreams? = nil
) -> EngineHarness {
    EngineHarness(.server, limits: limits, extensions: [
        PerMessageDeflate(parameters: parameters, role: .server, options: options, streams: streams),
    ])
}

/// A client engine with permessage-deflate negotiated with `parameters`.
func deflateClient(
    _ parameters: PerMessageDeflateParameters = PerMessageDeflateParameters(),
    options: PerMessageDeflateOptions = PerMessageDeflateOptions(threshold: 0),
    limits: WebSocketLimits = .default
) -> EngineHarness {
    EngineHarness(.client, limits: limits, extensions: [
        PerMessageDeflate(parameters: parameters, role: .client, options: options),
    ])
}

/// `bytes` compressed as one permessage-deflate message (without the 00 00 ff ff tail).
func deflated(_ bytes: [UInt8], windowBits: Int = 15) -> [UInt8] {
    let compressor = DeflateCompressor(level: 6, windowBits: windowBits, memoryLevel: 8)
    var output: [UInt8] = []
    let ok = bytes.withUnsafeBytes { compressor.compress($0, into: &output, resetAfter: false) }
    precondition(ok)
    return output
}

/// RFC 7692 §7.2: compressing and decompressing messages, with the RFC's own examples.
@Suite("RFC 7692 §7.2 compression")
struct RFC7692CompressionTests {
    @Test("§7.2.3.1: \"Hello\" in one compressed DEFLATE block, whole and fragmented")
    func example1() {
        var server = deflateServer()
        let whole = hex("c1 87 37 fa 21 3d c5 b2 ec f4 fe fd 21")  // masked c1 07 f2 48 cd c9 c9 07 00
        #expect(server.feed(whole) == [.text("Hello")])
        var fragmented = deflateServer()
        let frames = clientFrame(.text, hex("f2 48 cd"), fin: false, rsv: 0x40) + clientFrame(.continuation, hex("c9 c9 07 00"))
        #expect(fragmented.feed(frames, chunkSize: 1) == [.text("Hello")])
    }

    @Test("§7.2.3.1 and §7.2.3.2: the server compresses \"Hello\" to the RFC's bytes, then reuses its window")
    func example1And2Outbound() {
        var server = deflateServer()
        server.engine.send(text: "Hello", into: &server.output)
        #expect(server.takeOutput() == hex("c1 07 f2 48 cd c9 c9 07 00"))
        server.engine.send(text: "Hello", into: &server.output)
        #expect(server.takeOutput() == hex("c1 05 f2 00 11 00 00"))
    }

    @Test("a ping between the fragments of a compressed message is answered; the message still inflates")
    func controlFrameBetweenFragments() {
        var server = deflateServer()
        let frames = clientFrame(.text, hex("f2 48"), fin: false, rsv: 0x40) + clientFrame(.ping, [7])
            + clientFrame(.continuation, hex("cd c9 c9 07 00"))
        #expect(server.feed(frames, chunkSize: 3) == [.ping([7]), .text("Hello")])
        #expect(server.takeOutput() == hex("8a 01 07"))
    }

    @Test("§7.2.3.2: with context takeover the peer's second \"Hello\" refers to the first")
    func example2Inbound() {
        var server = deflateServer()
        let bytes = clientFrame(.text, hex("f2 48 cd c9 c9 07 00"), rsv: 0x40) + clientFrame(.text, hex("f2 00 11 00 00"), rsv: 0x40)
        #expect(server.feed(bytes) == [.text("Hello"), .text("Hello")])
    }

    @Test("§7.2.3.2: without server context takeover the server's second \"Hello\" stands alone")
    func noContextTakeoverOutbound() {
        var server = deflateServer(PerMessageDeflateParameters(serverNoContextTakeover: true))
        server.engine.send(text: "Hello", into: &server.output)
        server.engine.send(text: "Hello", into: &server.output)
        #expect(server.takeOutput() == hex("c1 07 f2 48 cd c9 c9 07 00 c1 07 f2 48 cd c9 c9 07 00"))
    }

    @Test("§7.2.3.3: a DEFLATE block with no compression")
    func example3() {
        var server = deflateServer()
        #expect(server.feed(clientFrame(.text, hex("00 05 00 fa ff 48 65 6c 6c 6f 00"), rsv: 0x40)) == [.text("Hello")])
    }

    @Test("§7.2.3.4: a DEFLATE block with BFINAL set, then more messages")
    func example4() {
        var server = deflateServer()
        let bytes = clientFrame(.text, hex("f3 48 cd c9 c9 07 00 00"), rsv: 0x40) + clientFrame(.text, hex("f2 48 cd c9 c9 07 00"), rsv: 0x40)
        #expect(server.feed(bytes) == [.text("Hello"), .text("Hello")])
    }

    @Test("§7.2.3.5: two DEFLATE blocks in one message")
    func example5() {
        var server = deflateServer()
        let payload = hex("f2 48 05 00 00 00 ff ff ca c9 c9 07 00")
        #expect(server.feed(clientFrame(.text, payload, rsv: 0x40), chunkSize: 3) == [.text("Hello")])
    }

    @Test("§6: an uncompressed message (no RSV1) passes through beside compressed ones")
    func uncompressedMessage() {
        var server = deflateServer()
        let bytes = clientFrame(.text, "plain") + clientFrame(.binary, deflated([1, 2, 3]), rsv: 0x40)
        #expect(server.feed(bytes) == [.text("plain"), .binary([1, 2, 3])])
    }

    @Test("§6.1: RSV1 only on the first frame of a compressed message; control frames never compressed")
    func outboundFraming() {
        var server = deflateServer()
        server.engine.send(.text, UnsafeRawBufferPointer(start: nil, count: 0), fin: false, into: &server.output)
        server.engine.send(.continuation, UnsafeRawBufferPointer(start: nil, count: 0), into: &server.output)
        let ping: [UInt8] = Array(repeating: 0x61, count: 100)
        ping.withUnsafeBytes { _ = server.engine.ping($0, into: &server.output) }
        let out = server.takeOutput()
        #expect(out[0] == 0x01 && out[2] == 0x80, "fragmented sends go out uncompressed")
        #expect(out[4] == 0x89 && out[5] == 100, "a ping is sent as is")
    }

    @Test("threshold: short messages go out uncompressed; a per-send override wins either way")
    func thresholdAndOverride() {
        var server = deflateServer(options: PerMessageDeflateOptions(threshold: 64))
        server.engine.send(text: "short", into: &server.output)
        #expect(server.takeOutput() == hex("81 05 73 68 6f 72 74"))
        let long = [UInt8](repeating: 0x7A, count: 200)
        long.withUnsafeBytes { _ = server.engine.send(.binary, $0, into: &server.output) }
        #expect(server.takeOutput()[0] == 0xC2)
        long.withUnsafeBytes { _ = server.engine.send(.binary, $0, compression: .never, into: &server.output) }
        #expect(server.takeOutput()[0] == 0x82)
        Array("short".utf8).withUnsafeBytes { _ = server.engine.send(.text, $0, compression: .always, into: &server.output) }
        #expect(server.takeOutput()[0] == 0xC1)
    }

    @Test("round trip: every window size and context mode, messages of many sizes, reads of any size")
    func roundTrip() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random() -> UInt64 {
            seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17
            return seed
        }
        for bits in [8, 9, 12, 15] {
            for noTakeover in [false, true] {
                let parameters = PerMessageDeflateParameters(
                    serverNoContextTakeover: noTakeover, clientNoContextTakeover: noTakeover,
                    serverMaxWindowBits: bits, clientMaxWindowBits: bits)
                var client = deflateClient(parameters)
                var server = deflateServer(parameters, streams: PerMessageDeflateStreams())
                for size in [1, 10, 200, 1000, 5000, 70000] {
                    let words = ["alpha", "beta", "gamma", "{\"type\":\"chat\"}", "é", "日本"]
                    var text = ""
                    while text.utf8.count < size { text += words[Int(random() % UInt64(words.count))] }
                    client.engine.send(text: text, into: &client.output)
                    let wire = client.takeOutput()
                    #expect(wire[0] == 0xC1)
                    let chunk = Int(random() % 700) + 1
                    #expect(server.feed(wire, chunkSize: chunk) == [.text(text)], "bits \(bits) size \(size)")
                    server.engine.send(text: text, into: &server.output)
                    #expect(client.feed(server.takeOutput(), chunkSize: chunk) == [.text(text)])
                }
            }
        }
    }

    @Test("a compressed message fragmented into many frames is inflated frame by frame")
    func fragmentedInbound() {
        let text = String(repeating: "fragmented permessage-deflate ", count: 400)
        let compressed = deflated(Array(text.utf8))
        var frames: [UInt8] = []
        var start = 0
        while start < compressed.count {
            let end = min(start + 17, compressed.count)
            frames += clientFrame(start == 0 ? .text : .continuation, Array(compressed[start ..< end]),
                                  fin: end == compressed.count, rsv: start == 0 ? 0x40 : 0)
            start = end
        }
        var server = deflateServer()
        #expect(server.feed(frames, chunkSize: 5) == [.text(text)])
    }
}
