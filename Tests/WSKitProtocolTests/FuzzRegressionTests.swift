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
}
