import Testing
@testable import WSKitProtocol

/// Pre-encoded frames (pub/sub fan-out) on connections with permessage-deflate.
@Suite("permessage-deflate fan-out")
struct PerMessageDeflateFanOutTests {
    /// One unmasked server text frame, encoded once as pub/sub does.
    static func published(_ text: String) -> [UInt8] {
        var output = OutputBuffer()
        Array(text.utf8).withUnsafeBytes { WebSocketEngine.encodeFrame(.text, $0, into: &output) }
        return output.bytes
    }

    static let message = String(repeating: "{\"type\":\"ROOM_MESSAGE\",\"text\":\"hello subscribers\"} ", count: 20)

    @Test("without context takeover, one publish is compressed once for every subscriber of the loop")
    func compressedOncePerLoop() {
        let streams = PerMessageDeflateStreams()
        let parameters = PerMessageDeflateParameters(serverNoContextTakeover: true, clientNoContextTakeover: true)
        var subscribers = (0 ..< 50).map { _ in deflateServer(parameters, streams: streams) }
        let frame = Self.published(Self.message)
        var wires: [[UInt8]] = []
        for index in subscribers.indices {
            subscribers[index].sendEncodedFrames(frame)
            wires.append(subscribers[index].takeOutput())
        }
        #expect(streams.fanOutCompressions == 1)
        #expect(Set(wires).count == 1)
        #expect(wires[0][0] == 0xC1 && wires[0].count < frame.count / 4)
        var client = deflateClient(parameters)
        #expect(client.feed(wires[0]) == [.text(Self.message)])
        // A different message is compressed anew.
        let other = Self.published(Self.message + "!")
        subscribers[0].sendEncodedFrames(other)
        #expect(streams.fanOutCompressions == 2)
        #expect(client.feed(subscribers[0].takeOutput()) == [.text(Self.message + "!")])
    }

    @Test("without context takeover a connection holds no zlib state between messages; with it, it keeps both")
    func idleState() {
        let streams = PerMessageDeflateStreams()
        let none = PerMessageDeflateParameters(serverNoContextTakeover: true, clientNoContextTakeover: true)
        var lean = deflateServer(none, streams: streams)
        var keeping = deflateServer(streams: streams)
        for index in 0 ..< 2 {
            var harness = index == 0 ? lean : keeping
            #expect(!(harness.engine.extensions[0] as! PerMessageDeflate).holdsStreams, "nothing before the first message")
            let text = Self.message
            // A fragmented message needs the connection's own decompressor while it arrives.
            var client = deflateClient(index == 0 ? none : PerMessageDeflateParameters())
            client.engine.send(text: text, into: &client.output)
            let wire = client.takeOutput()
            #expect(harness.feed(wire, chunkSize: 7) == [.text(text)])
            harness.engine.send(text: text, into: &harness.output)
            _ = harness.takeOutput()
            let holds = (harness.engine.extensions[0] as! PerMessageDeflate).holdsStreams
            #expect(holds == (index == 1), index == 0 ? "freed after the message" : "kept for the next message")
            if index == 0 { lean = harness } else { keeping = harness }
        }
    }

    @Test("with context takeover each connection compresses with its own context; messages decode in order")
    func ownContext() {
        var server = deflateServer()
        var client = deflateClient()
        let frame = Self.published(Self.message)
        for _ in 0 ..< 3 {
            server.sendEncodedFrames(frame)
        }
        server.engine.send(text: Self.message, into: &server.output)
        let wire = server.takeOutput()
        #expect(client.feed(wire) == Array(repeating: .text(Self.message), count: 4))
    }

    @Test("without compression, and for frames it cannot take apart, the bytes go out unchanged")
    func passThrough() {
        var plain = EngineHarness.server()
        let frame = Self.published(Self.message)
        plain.sendEncodedFrames(frame)
        #expect(plain.takeOutput() == frame)
        var server = deflateServer()
        let two = frame + frame  // two frames in one buffer
        server.sendEncodedFrames(two)
        #expect(server.takeOutput() == two)
        let small = Self.published("hi")
        var thresholded = deflateServer(options: .default)
        thresholded.sendEncodedFrames(small)
        #expect(thresholded.takeOutput() == small)
    }
}

extension EngineHarness {
    /// Hands pre-encoded frames to the engine, as a server does for pub/sub fan-out.
    mutating func sendEncodedFrames(_ frames: [UInt8]) {
        var output = self.output
        self.output = OutputBuffer()
        frames.withUnsafeBytes { _ = engine.sendEncodedFrames($0, into: &output) }
        self.output = output
    }
}
