import Testing
import WSKitProtocol

/// Inputs the fuzz targets (Tests/Fuzz) found, kept as tests.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let limits = HTTPRequestLimits(maxRequestLineLength: 1024, maxHeaderCount: 32, maxHeadSize: 4096)

    /// Feeds `bytes` in reads of `chunk` bytes (all at once when nil); the first answer that is not
    /// `.needMoreData`, as text.
    static func outcome<Head: HTTPParsableHead>(_ parser: HTTPHeadParser<Head>, _ bytes: [UInt8], chunk: Int?) -> String {
        var parser = parser
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + (chunk ?? bytes.count))
            switch parser.parse(Array(bytes[offset ..< end])) {
            case .needMoreData: offset = end
            case .complete: return "complete"
            case let .failure(error): return "\(error.status.code)"
            }
        }
        return "incomplete"
    }

    @Test("a start line over the limit that ends in a bare LF is 414 however the reads split it", arguments: [nil, 1, 7, 100, 1000] as [Int?])
    func longStartLineWithBareLineFeed(chunk: Int?) {
        let response = Array("HTTP/1.1 101 \(String(repeating: "a", count: 1100))\n\r\n".utf8)
        #expect(Self.outcome(HTTPResponseParser(limits: Self.limits), response, chunk: chunk) == "414")
        let request = Array("GET /\(String(repeating: "a", count: 1100)) HTTP/1.1\n\r\n".utf8)
        #expect(Self.outcome(HTTPRequestParser(limits: Self.limits), request, chunk: chunk) == "414")
    }

    @Test("a head over maxHeadSize whose next line feed is bare is 431 however the reads split it", arguments: [nil, 1, 64, 4000] as [Int?])
    func largeHeadWithBareLineFeed(chunk: Int?) {
        var request = "GET / HTTP/1.1\r\n"
        for index in 0 ..< 20 { request += "X-Filler-\(index): \(String(repeating: "b", count: 200))\r\n" }
        request += "X-Last: c\n\r\n"
        #expect(Self.outcome(HTTPRequestParser(limits: Self.limits), Array(request.utf8), chunk: chunk) == "431")
    }

    /// The input the HTTPResponseParser target found (400 in one read, 414 in chunks).
    @Test("the fuzzer's response input fails the same way in one read and in chunks")
    func fuzzerInput() {
        var bytes = Array("HTTP/1.1 101 SwiSwitch,,,,,".utf8) + [0xCD] + Array(",,,,,,,,, T".utf8)
        bytes += [UInt8](repeating: 0x09, count: 1100) + Array("  ,,,,\n".utf8)
        let whole = Self.outcome(HTTPResponseParser(limits: Self.limits), bytes, chunk: nil)
        #expect(whole == Self.outcome(HTTPResponseParser(limits: Self.limits), bytes, chunk: 13))
        #expect(whole == "414")
    }

    /// "Hello" compressed as in RFC 7692 §7.2.3.1 (tail removed): any fresh stream inflates it.
    static let hello: [UInt8] = [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]

    /// Decodes `bytes` as one piece of a message; the inflated text, or the close code thrown.
    static func decode(_ deflate: inout PerMessageDeflate, _ bytes: [UInt8], isLast: Bool, maxSize: Int = 1024) -> String {
        var output = WebSocketExtensionOutput()
        // No typed-throws closure here: Swift 6.3.1 crashes emitting its reabstraction thunk.
        let failure = bytes.withUnsafeBytes { fragment -> WebSocketProtocolError? in
            do throws(WebSocketProtocolError) {
                try deflate.decode(
                    fragment: fragment, isLast: isLast, opcode: .text, rsv: 0x40, maxSize: maxSize, into: &output)
                return nil
            } catch {
                return error
            }
        }
        if let failure { return "\(failure.closeCode.rawValue)" }
        return String(decoding: output.bytes, as: UTF8.self)
    }

    /// The Inflater target's "failed stays failed" oracle: with the thread's shared streams, a
    /// failure released the shared stream and the next piece went to a fresh decompressor of the
    /// connection's own, which inflated it.
    @Test("an inflater that failed (corrupt data or too big) inflates nothing more, shared streams or not",
          arguments: [(true, 1024), (true, 2), (false, 1024), (false, 2)])
    func failedInflaterStaysFailed(sharedStreams: Bool, maxSize: Int) {
        let parameters = PerMessageDeflateParameters(serverNoContextTakeover: true, clientNoContextTakeover: true)
        var deflate = PerMessageDeflate(
            parameters: parameters, role: .server, streams: sharedStreams ? PerMessageDeflateStreams() : nil)
        // Too big (2-byte limit), or corrupt (a reserved block type, BTYPE 11).
        let first = maxSize == 2 ? Self.hello : [0xFF, 0xEE, 0xDD]
        let failure = maxSize == 2 ? "1009" : "1007"
        #expect(Self.decode(&deflate, first, isLast: true, maxSize: maxSize) == failure)
        #expect(Self.decode(&deflate, Self.hello, isLast: false) == failure)
        #expect(Self.decode(&deflate, Self.hello, isLast: true) == failure)
    }

    @Test("the same message inflates however it is fragmented (control for the test above)")
    func helloInflates() {
        var whole = PerMessageDeflate(parameters: PerMessageDeflateParameters(), role: .server)
        #expect(Self.decode(&whole, Self.hello, isLast: true) == "Hello")
        var pieces = PerMessageDeflate(parameters: PerMessageDeflateParameters(), role: .server)
        let start = Self.decode(&pieces, Array(Self.hello[..<3]), isLast: false)
        #expect(start + Self.decode(&pieces, Array(Self.hello[3...]), isLast: true) == "Hello")
    }

    /// The Inflater target's one allowed difference (ADR 0096): zlib checks a match's distance
    /// against the bytes it holds (window plus the current call's output), not the agreed window.
    @Test("a peer that reaches back past the agreed window gets its bytes or 1007, never other bytes")
    func matchBeyondTheAgreedWindow() {
        var seed: UInt32 = 7
        let line = String((0 ..< 300).map { _ -> Character in
            seed = seed &* 1_103_515_245 &+ 12_345
            return Character(Unicode.Scalar(UInt8(97 + (seed >> 16) % 26)))
        })
        let text = line + line  // the second half is one match 300 bytes back
        // The client compresses with a 32 KiB window although it agreed to 256 bytes.
        var sender = PerMessageDeflate(parameters: PerMessageDeflateParameters(), role: .client)
        var compressed: [UInt8] = []
        let rsv = Array(text.utf8).withUnsafeBytes { sender.encode(message: $0, opcode: .text, compression: .always, into: &compressed) }
        #expect(rsv == 0x40)
        let agreed = PerMessageDeflateParameters(clientMaxWindowBits: 8)
        var whole = PerMessageDeflate(parameters: agreed, role: .server)
        #expect([text, "1007"].contains(Self.decode(&whole, compressed, isLast: true, maxSize: 4096)))
        // Byte by byte zlib holds no more than the window: refused.
        var pieces = PerMessageDeflate(parameters: agreed, role: .server)
        var result = ""
        for (index, byte) in compressed.enumerated() {
            let piece = Self.decode(&pieces, [byte], isLast: index == compressed.count - 1, maxSize: 4096)
            if piece == "1007" { result = piece; break }
            result += piece
        }
        #expect(result == "1007")
    }
}
