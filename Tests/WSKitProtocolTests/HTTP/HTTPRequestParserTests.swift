import Testing
@testable import WSKitProtocol

@Suite("HTTP/1.1 request head parser (RFC 9112)")
struct HTTPRequestParserTests {
    static let upgrade = """
        GET /chat?room=lobby&name=J%C3%BCrgen+K HTTP/1.1\r
        Host: server.example.com\r
        Upgrade: websocket\r
        Connection: Upgrade\r
        Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r
        Origin: http://example.com\r
        Sec-WebSocket-Protocol: chat, superchat\r
        Sec-WebSocket-Version: 13\r
        \r

        """

    /// Parses `text` in one call; returns the result.
    static func parse(_ text: String, limits: HTTPRequestLimits = .default) -> HTTPRequestParser.Result {
        var parser = HTTPRequestParser(limits: limits)
        return parser.parse(Array(text.utf8))
    }

    static func head(_ result: HTTPRequestParser.Result) -> (HTTPRequestHead, Int)? {
        if case let .complete(head, consumed) = result { return (head, consumed) }
        return nil
    }

    static func error(_ result: HTTPRequestParser.Result) -> HTTPParseError? {
        if case let .failure(error) = result { return error }
        return nil
    }

    static func isNeedMoreData(_ result: HTTPRequestParser.Result) -> Bool {
        if case .needMoreData = result { return true }
        return false
    }

    // MARK: Parsing

    @Test("a browser upgrade request parses into method, target, path, query, version and ordered headers")
    func parsesUpgrade() throws {
        let (head, consumed) = try #require(Self.head(Self.parse(Self.upgrade)))
        #expect(consumed == Self.upgrade.utf8.count)
        #expect(head.method == "GET")
        #expect(head.target == "/chat?room=lobby&name=J%C3%BCrgen+K")
        #expect(head.path == "/chat")
        #expect(head.query == "room=lobby&name=J%C3%BCrgen+K")
        #expect(head.queryItems == [
            .init(name: "room", value: "lobby"),
            .init(name: "name", value: "Jürgen K"),
        ])
        #expect(head.queryValue("name") == "Jürgen K")
        #expect(head.version == .http1_1)
        #expect(head.headers.map(\.name) == [
            "Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Origin", "Sec-WebSocket-Protocol", "Sec-WebSocket-Version",
        ])
        #expect(head.headers["sec-websocket-key"] == "dGhlIHNhbXBsZSBub25jZQ==")
        #expect(head.headers["SEC-WEBSOCKET-PROTOCOL"] == "chat, superchat")
    }

    @Test("bytes after the head are not consumed: they are WebSocket data for the engine")
    func leftoverBytes() throws {
        let frame: [UInt8] = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]
        var parser = HTTPRequestParser()
        let input = Array(Self.upgrade.utf8) + frame
        let (_, consumed) = try #require(Self.head(parser.parse(input)))
        #expect(consumed == Self.upgrade.utf8.count)
        #expect(Array(input[consumed...]) == frame)
    }

    @Test("splitting the head at every byte gives the same head, and consumed counts only the second read")
    func splitAtEveryByte() throws {
        let bytes = Array(Self.upgrade.utf8)
        let (expected, _) = try #require(Self.head(Self.parse(Self.upgrade)))
        let trailer: [UInt8] = [0x82, 0x80, 1, 2, 3, 4]
        for split in 1 ..< bytes.count {
            var parser = HTTPRequestParser()
            let first = parser.parse(Array(bytes[..<split]))
            #expect(Self.isNeedMoreData(first), "split at \(split)")
            #expect(parser.bufferedByteCount == split)
            let second = Array(bytes[split...]) + trailer
            let (head, consumed) = try #require(Self.head(parser.parse(second)), "split at \(split)")
            #expect(head == expected, "split at \(split)")
            #expect(consumed == bytes.count - split, "split at \(split)")
            #expect(parser.bufferedByteCount == 0)
        }
    }

    @Test("feeding one byte at a time completes exactly on the final LF")
    func byteByByte() throws {
        let bytes = Array(Self.upgrade.utf8)
        var parser = HTTPRequestParser()
        for (index, byte) in bytes.enumerated() {
            let result = parser.parse([byte])
            if index < bytes.count - 1 {
                #expect(Self.isNeedMoreData(result), "byte \(index)")
            } else {
                let (head, consumed) = try #require(Self.head(result))
                #expect(consumed == 1)
                #expect(head.headers.count == 7)
            }
        }
    }

    @Test("after a complete head the parser parses the next one (keep-alive)")
    func reusable() throws {
        var parser = HTTPRequestParser()
        let first = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
        let second = "GET /b HTTP/1.0\r\n\r\n"
        let input = Array((first + second).utf8)
        let (a, consumed) = try #require(Self.head(parser.parse(input)))
        #expect(a.path == "/a")
        let (b, _) = try #require(Self.head(input.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[consumed...])) }))
        #expect(b.path == "/b")
        #expect(b.version == .http1_0)
        #expect(b.headers.isEmpty)
    }

    @Test("field values are trimmed of SP/HTAB, may be empty and may repeat")
    func fieldValues() throws {
        let (head, _) = try #require(Self.head(Self.parse("GET / HTTP/1.1\r\nX-A: \t a b \t\r\nX-Empty:\r\nx-a:second\r\n\r\n")))
        #expect(head.headers["X-A"] == "a b")
        #expect(head.headers["X-Empty"] == "")
        #expect(head.headers.values(for: "x-A") == ["a b", "second"])
    }

    @Test("empty lines before the request line are ignored (RFC 9112 §2.2)")
    func leadingEmptyLines() throws {
        let text = "\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"
        let (head, consumed) = try #require(Self.head(Self.parse(text)))
        #expect(head.method == "GET")
        #expect(consumed == text.utf8.count)
    }

    @Test("request target forms: origin, absolute, asterisk; query without '?', fragment dropped")
    func targetForms() {
        let origin = HTTPRequestHead(method: "GET", target: "/a/b?x=1")
        #expect(origin.path == "/a/b" && origin.query == "x=1")
        let noQuery = HTTPRequestHead(method: "GET", target: "/a")
        #expect(noQuery.path == "/a" && noQuery.query == nil && noQuery.queryItems.isEmpty)
        let emptyQuery = HTTPRequestHead(method: "GET", target: "/a?")
        #expect(emptyQuery.query == "")
        let absolute = HTTPRequestHead(method: "GET", target: "http://example.com:80/chat?x#frag")
        #expect(absolute.path == "/chat" && absolute.query == "x")
        let absoluteBare = HTTPRequestHead(method: "GET", target: "ws://example.com")
        #expect(absoluteBare.path == "/" && absoluteBare.query == nil)
        let asterisk = HTTPRequestHead(method: "OPTIONS", target: "*")
        #expect(asterisk.path == "*")
        let items = HTTPRequestHead(method: "GET", target: "/?a&b=&=c&&d=%2&e=%41%42")
        #expect(items.queryItems == [
            .init(name: "a", value: nil), .init(name: "b", value: ""), .init(name: "", value: "c"),
            .init(name: "d", value: "%2"), .init(name: "e", value: "AB"),
        ])
    }

    // MARK: Malformed heads → 400 / 505 / 501

    @Test("malformed heads fail with the matching error and status", arguments: [
        ("GET / HTTP/1.1\nHost: x\r\n\r\n", HTTPParseError.bareLineFeed, 400),
        ("GET / HTTP/1.1\r\nHost: x\n\r\n", .bareLineFeed, 400),
        ("GET / HTTP/1.1\r\nHost: x\r\n\n", .bareLineFeed, 400),
        ("GET / HTTP/1.1\r\nX-A: a\r\n b\r\n\r\n", .obsoleteLineFolding, 400),
        ("GET / HTTP/1.1\r\nX-A: a\r\n\tb\r\n\r\n", .obsoleteLineFolding, 400),
        ("GET / HTTP/1.1\r\nHost : x\r\n\r\n", .invalidHeaderName, 400),
        ("GET / HTTP/1.1\r\nX(A): x\r\n\r\n", .invalidHeaderName, 400),
        ("GET / HTTP/1.1\r\n: x\r\n\r\n", .invalidHeaderName, 400),
        ("GET / HTTP/1.1\r\nNoColon\r\n\r\n", .invalidHeaderName, 400),
        ("GET / HTTP/1.1\r\nX-A: a\u{0}b\r\n\r\n", .invalidHeaderValue, 400),
        ("GET / HTTP/1.1\r\nX-A: a\rb\r\n\r\n", .invalidHeaderValue, 400),
        ("GET / HTTP/1.1\r\nX-A: a\u{7F}\r\n\r\n", .invalidHeaderValue, 400),
        ("GET / HTTP/1.1\r\nX-A: a\u{1B}\r\n\r\n", .invalidHeaderValue, 400),
        ("GET  / HTTP/1.1\r\n\r\n", .malformedRequestLine, 400),
        ("GET /\r\n\r\n", .malformedRequestLine, 400),
        (" GET / HTTP/1.1\r\n\r\n", .malformedRequestLine, 400),
        ("G@T / HTTP/1.1\r\n\r\n", .invalidMethod, 400),
        ("GET /é HTTP/1.1\r\n\r\n", .invalidTarget, 400),
        ("GET /\u{7F} HTTP/1.1\r\n\r\n", .invalidTarget, 400),
        ("GET / HTTP/1.1 \r\n\r\n", .malformedVersion, 400),
        ("GET / http/1.1\r\n\r\n", .malformedVersion, 400),
        ("GET / HTTP/1.10\r\n\r\n", .malformedVersion, 400),
        ("GET / HTTP/1\r\n\r\n", .malformedVersion, 400),
        ("GET / HTTP/2.0\r\n\r\n", .unsupportedVersion(HTTPVersion(major: 2, minor: 0)), 505),
        ("GET / HTTP/0.9\r\n\r\n", .unsupportedVersion(HTTPVersion(major: 0, minor: 9)), 505),
        ("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", .duplicateHost, 400),
        ("GET / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", .invalidContentLength, 400),
        ("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", .invalidContentLength, 400),
        ("GET / HTTP/1.1\r\nContent-Length: 1, 1\r\n\r\n", .invalidContentLength, 400),
        ("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", .unsupportedTransferEncoding, 501),
    ])
    func malformed(text: String, error: HTTPParseError, status: Int) {
        let failure = Self.error(Self.parse(text))
        #expect(failure == error)
        #expect(failure?.status.code == status)
        #expect(failure?.response.status.code == status)
    }

    @Test("a bare LF is rejected as soon as it arrives, without waiting for the end of the head")
    func bareLineFeedIsImmediate() {
        var parser = HTTPRequestParser()
        #expect(Self.error(parser.parse(Array("GET / HTTP/1.1\n".utf8))) == .bareLineFeed)
    }

    @Test("a failure is sticky until reset")
    func stickyFailure() throws {
        var parser = HTTPRequestParser()
        #expect(Self.error(parser.parse(Array("BAD\n".utf8))) == .bareLineFeed)
        #expect(Self.error(parser.parse(Array("GET / HTTP/1.1\r\n\r\n".utf8))) == .bareLineFeed)
        parser.reset()
        #expect(Self.head(parser.parse(Array("GET / HTTP/1.1\r\n\r\n".utf8))) != nil)
    }

    @Test("identical repeated Content-Length fields are accepted")
    func repeatedContentLength() {
        #expect(Self.head(Self.parse("GET / HTTP/1.1\r\nContent-Length: 0\r\ncontent-length: 0\r\n\r\n")) != nil)
    }

    // MARK: Limits → 414 / 431

    @Test("a request line over 8 KiB is 414, in one read or before its end arrives")
    func requestLineTooLong() {
        let target = "/" + String(repeating: "a", count: 8 * 1024)
        let text = "GET \(target) HTTP/1.1\r\n\r\n"
        #expect(Self.error(Self.parse(text)) == .requestLineTooLong)
        #expect(Self.error(Self.parse(text))?.status == .uriTooLong)

        var parser = HTTPRequestParser()
        let prefix = Array("GET \(target)".utf8)
        #expect(Self.error(parser.parse(prefix)) == .requestLineTooLong)
    }

    @Test("a request line of exactly the limit is accepted")
    func requestLineAtLimit() {
        let line = "GET /" + String(repeating: "a", count: 100 - 14) + " HTTP/1.1"
        #expect(line.utf8.count == 100)
        let limits = HTTPRequestLimits(maxRequestLineLength: 100)
        #expect(Self.head(Self.parse(line + "\r\n\r\n", limits: limits)) != nil)
        let longer = "GET /a" + String(repeating: "a", count: 100 - 14) + " HTTP/1.1"
        #expect(Self.error(Self.parse(longer + "\r\n\r\n", limits: limits)) == .requestLineTooLong)
    }

    @Test("more than 100 header fields is 431; exactly 100 is accepted")
    func headerCount() {
        func request(_ count: Int) -> String {
            "GET / HTTP/1.1\r\n" + (0 ..< count).map { "X-\($0): v\r\n" }.joined() + "\r\n"
        }
        #expect(Self.head(Self.parse(request(100))) != nil)
        #expect(Self.error(Self.parse(request(101))) == .tooManyHeaders)
        #expect(Self.error(Self.parse(request(101)))?.status.code == 431)
        #expect(Self.error(Self.parse(request(4), limits: HTTPRequestLimits(maxHeaderCount: 3))) == .tooManyHeaders)
    }

    @Test("a head over 16 KiB is 431, and no more than the limit is ever buffered")
    func headTooLarge() {
        let cookie = "Cookie: " + String(repeating: "c", count: 7000) + "\r\n"
        let text = "GET / HTTP/1.1\r\n" + cookie + cookie + cookie + "\r\n"
        #expect(text.utf8.count > 16 * 1024)
        #expect(Self.error(Self.parse(text)) == .headTooLarge)
        #expect(Self.error(Self.parse(text))?.status == .requestHeaderFieldsTooLarge)

        // Streamed in 1000-byte reads: fails once the buffered head passes the limit.
        var parser = HTTPRequestParser()
        let bytes = Array(text.utf8)
        var failure: HTTPParseError?
        var offset = 0
        while offset < bytes.count, failure == nil {
            let result = parser.parse(Array(bytes[offset ..< min(offset + 1000, bytes.count)]))
            failure = Self.error(result)
            #expect(parser.bufferedByteCount <= 16 * 1024 + 1)
            offset += 1000
        }
        #expect(failure == .headTooLarge)
        #expect(offset <= 17 * 1000)
    }

    @Test("a head without its final empty line, endlessly streamed, fails at the limit rather than buffering")
    func slowlorisIsBounded() {
        var parser = HTTPRequestParser(limits: HTTPRequestLimits(maxHeadSize: 512))
        #expect(Self.isNeedMoreData(parser.parse(Array("GET / HTTP/1.1\r\n".utf8))))
        var result = HTTPRequestParser.Result.needMoreData
        for _ in 0 ..< 100 where Self.isNeedMoreData(result) {
            result = parser.parse(Array("X-Filler: 0123456789\r\n".utf8))
        }
        #expect(Self.error(result) == .headTooLarge)
    }
}
