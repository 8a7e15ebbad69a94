import Glibc
import Testing
import WSKitProtocol
import WSKitServer
import WSKitLiveFixtures

/// The client side of permessage-deflate for a `RawClient`: a client engine that compresses what
/// the test sends and inflates what the server sent.
private struct DeflatePeer {
    var engine: WebSocketEngine

    init(_ parameters: PerMessageDeflateParameters) {
        engine = WebSocketEngine(role: .client, extensions: [
            PerMessageDeflate(parameters: parameters, role: .client, options: PerMessageDeflateOptions(threshold: 0)),
        ])
    }

    /// The masked, compressed frame of a text message.
    mutating func frame(text: String) -> [UInt8] {
        var output = OutputBuffer()
        engine.send(text: text, into: &output)
        return output.bytes
    }

    /// The message a server frame carries, inflated if it is compressed.
    mutating func message(of frame: RawClient.Frame) -> String? {
        var output = OutputBuffer()
        var bytes = frame.payload.withUnsafeBytes { payload -> [UInt8] in
            var whole = OutputBuffer()
            WebSocketEngine.encodeFrame(WebSocketOpcode(rawValue: frame.opcode)!, payload, fin: frame.fin, rsv: frame.rsv, into: &whole)
            return whole.bytes
        }
        var offset = 0
        return bytes.withUnsafeMutableBytes { buffer -> String? in
            guard case .text(let text) = engine.nextEvent(in: buffer, offset: &offset, output: &output) else { return nil }
            return String(decoding: text, as: UTF8.self)
        }
    }
}

private func compressingConfiguration(_ options: PerMessageDeflateOptions = .default) -> ServerConfiguration {
    var configuration = testConfiguration()
    configuration.compression = options
    return configuration
}

/// The extension element the 101 response carries, or nil.
private func acceptedExtensions(_ response: String) -> String? {
    for line in response.split(separator: "\r\n") where line.lowercased().hasPrefix("sec-websocket-extensions:") {
        return line.dropFirst("sec-websocket-extensions:".count).trimmingCharacters()
    }
    return nil
}

private extension Substring {
    func trimmingCharacters() -> String { String(self.drop { $0 == " " }) }
}

@Suite("permessage-deflate on the server")
struct ServerCompressionTests {
    @Test("the server answers a browser's offer with its policy and echoes compressed messages compressed")
    func negotiatedEcho() async throws {
        try await runBlocking {
            try withServer(compressingConfiguration(), echoBehavior()) { _, port throws in
                let client = try RawClient(port: port)
                let response = try client.handshake(headers: ["Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"])
                #expect(response.hasPrefix("HTTP/1.1 101"))
                let answer = try #require(acceptedExtensions(response))
                #expect(answer == "permessage-deflate; server_max_window_bits=12; client_max_window_bits=12")
                let offer = try #require(WebSocketExtensionOffer.parse(headerValue: answer))
                let agreed = try #require(try PerMessageDeflate.accept(response: offer, options: .client).get())
                var peer = DeflatePeer(agreed)
                let text = String(repeating: "{\"type\":\"chat\",\"text\":\"hello\"} ", count: 40)
                for _ in 0 ..< 3 {
                    client.write(peer.frame(text: text))
                    let echoed = try client.readFrame()
                    #expect(echoed.rsv == 0x40, "the echo is compressed")
                    #expect(echoed.payload.count < text.utf8.count / 4)
                    #expect(peer.message(of: echoed) == text)
                }
                client.sendText("short")  // uncompressed, under the threshold both ways
                #expect(try client.readFrame() == .init(fin: true, opcode: 0x1, payload: Array("short".utf8)))
            }
        }
    }

    @Test("compression off (the default), an invalid offer, or no offer: no extension in the 101")
    func declined() async throws {
        try await runBlocking {
            try withServer(echoBehavior()) { _, port throws in
                let client = try RawClient(port: port)
                let response = try client.handshake(headers: ["Sec-WebSocket-Extensions: permessage-deflate"])
                #expect(response.hasPrefix("HTTP/1.1 101") && acceptedExtensions(response) == nil)
            }
            try withServer(compressingConfiguration(), echoBehavior()) { _, port throws in
                let invalid = try RawClient(port: port)
                let response = try invalid.handshake(headers: ["Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=20"])
                #expect(response.hasPrefix("HTTP/1.1 101") && acceptedExtensions(response) == nil)
                // Declined, so RSV1 is a protocol error.
                invalid.sendFrame(opcode: 0x1, payload: [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00], rsv: 0x40)
                #expect(try invalid.readUntilClose().closeCode == 1002)
                let none = try RawClient(port: port)
                #expect(acceptedExtensions(try none.handshake()) == nil)
            }
        }
    }

    @Test("of several offers the first acceptable is answered")
    func severalOffers() async throws {
        try await runBlocking {
            try withServer(compressingConfiguration(.noContextTakeover), echoBehavior()) { _, port throws in
                let client = try RawClient(port: port)
                let response = try client.handshake(headers: [
                    "Sec-WebSocket-Extensions: permessage-deflate; bogus, permessage-deflate; server_max_window_bits=10",
                ])
                #expect(acceptedExtensions(response)
                    == "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10")
            }
        }
    }

    @Test("a compressed bomb closes with 1009, a corrupt stream with 1007")
    func abuse() async throws {
        try await runBlocking {
            var configuration = compressingConfiguration()
            configuration.limits = WebSocketLimits(maxMessageSize: 64 * 1024)
            try withServer(configuration, echoBehavior()) { _, port throws in
                let bomb = try RawClient(port: port)
                _ = try bomb.handshake(headers: ["Sec-WebSocket-Extensions: permessage-deflate"])
                // Stored blocks would not do: a 1 KiB run of zeros compressed by the peer itself.
                var peer = DeflatePeer(PerMessageDeflateParameters())
                let zeros = String(repeating: "\u{0}", count: 1 << 20)
                let frame = peer.frame(text: zeros)
                #expect(frame.count < 2048)
                bomb.write(frame)
                #expect(try bomb.readUntilClose().closeCode == 1009)

                let corrupt = try RawClient(port: port)
                _ = try corrupt.handshake(headers: ["Sec-WebSocket-Extensions: permessage-deflate"])
                corrupt.sendFrame(opcode: 0x2, payload: [0xFF, 0xFF, 0xFF, 0xFF], rsv: 0x40)
                #expect(try corrupt.readUntilClose().closeCode == 1007)
            }
        }
    }

    @Test("a per-send override compresses a short message or sends a long one as is")
    func perSendOverride() async throws {
        try await runBlocking {
            let behavior = WebSocketBehavior<Void>(initial: ()) { ws, message in
                let override: WebSocketCompression = message.isText ? .always : .never
                ws.send(message.isText ? .text : .binary, message.bytes, compression: override)
            }
            try withServer(compressingConfiguration(), behavior) { _, port throws in
                let client = try RawClient(port: port)
                _ = try client.handshake(headers: ["Sec-WebSocket-Extensions: permessage-deflate"])
                client.sendText("tiny")
                #expect(try client.readFrame().rsv == 0x40)
                client.sendFrame(opcode: 0x2, payload: [UInt8](repeating: 7, count: 4096))
                let plain = try client.readFrame()
                #expect(plain.rsv == 0 && plain.payload.count == 4096)
            }
        }
    }
}
