import Testing
@testable import WSKitProtocol

/// A small deterministic generator (SplitMix64) so fuzz runs are reproducible by seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Fuzzing: hostile bytes never crash, hang or grow memory")
struct FuzzTests {
    /// Valid frames of every kind, then mutated: bit flips, truncation, duplication, splicing.
    static func mutatedStream(_ rng: inout SeededGenerator) -> [UInt8] {
        var stream: [UInt8] = []
        for _ in 0 ..< Int.random(in: 1 ... 12, using: &rng) {
            let opcode: UInt8 = [0x0, 0x1, 0x2, 0x8, 0x9, 0xA, 0x3, 0xB].randomElement(using: &rng)!
            let length = [0, 1, 2, 125, 126, 127, 300, 66_000].randomElement(using: &rng)!
            if length > 1000, Int.random(in: 0 ..< 8, using: &rng) != 0 { continue }
            var payload = (0 ..< length).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
            if Bool.random(using: &rng) { payload = Array(String(repeating: "é", count: length / 2).utf8) }
            stream += frame(opcode, payload, fin: Bool.random(using: &rng), mask: Bool.random(using: &rng) ? UInt32.random(in: 0 ... .max, using: &rng) : nil)
        }
        for _ in 0 ..< Int.random(in: 0 ... 8, using: &rng) where !stream.isEmpty {
            let index = Int.random(in: 0 ..< stream.count, using: &rng)
            switch Int.random(in: 0 ..< 4, using: &rng) {
            case 0: stream[index] ^= UInt8(1) << UInt8.random(in: 0 ..< 8, using: &rng)
            case 1: stream.removeSubrange(index...)
            case 2: stream.insert(contentsOf: stream[index...].prefix(16), at: index)
            default: stream[index] = UInt8.random(in: 0 ... 255, using: &rng)
            }
        }
        return stream
    }

    @Test("2,000 mutated frame streams: events are well-formed and nothing follows a failure or close", arguments: [WebSocketRole.server, .client])
    func engineSurvivesMutations(role: WebSocketRole) {
        var rng = SeededGenerator(state: role == .server ? 1 : 2)
        let limits = WebSocketLimits(maxFrameSize: 64 * 1024, maxMessageSize: 128 * 1024, maxFragments: 16)
        for _ in 0 ..< 2_000 {
            var harness = EngineHarness(role, limits: limits)
            let stream = Self.mutatedStream(&rng)
            let events = harness.feed(stream, chunkSize: [1, 7, 64, 1500, 65_536].randomElement(using: &rng)!)
            if let last = events.firstIndex(where: { if case .failure = $0 { true } else if case .close = $0 { true } else { false } }) {
                #expect(last == events.count - 1, "events after the end: \(events)")
            }
            for event in events {
                switch event {
                case let .text(text): #expect(text.utf8.count <= limits.maxMessageSize)
                case let .binary(bytes): #expect(bytes.count <= limits.maxMessageSize)
                case let .ping(bytes), let .pong(bytes): #expect(bytes.count <= 125)
                case let .failure(code): #expect([1002, 1007, 1009].contains(code))
                case .close: break
                }
            }
            // Output holds at most pongs and one close frame per input frame: bounded by the input.
            #expect(harness.output.count <= stream.count + 256)
        }
    }

    @Test("5,000 random and mutated request heads parse or fail with a 4xx/5xx status, never more")
    func httpParserSurvivesGarbage() {
        var rng = SeededGenerator(state: 3)
        let valid = Array("GET /chat?x=1 HTTP/1.1\r\nHost: example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n".utf8)
        for round in 0 ..< 5_000 {
            var bytes = valid
            if round % 3 == 0 {
                bytes = (0 ..< Int.random(in: 0 ... 600, using: &rng)).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
            } else {
                for _ in 0 ..< Int.random(in: 1 ... 6, using: &rng) {
                    let index = Int.random(in: 0 ..< bytes.count, using: &rng)
                    bytes[index] = [0, 10, 13, 32, 58, 0x7F, 0xC3, UInt8.random(in: 0 ... 255, using: &rng)].randomElement(using: &rng)!
                }
            }
            var parser = HTTPRequestParser()
            var result: HTTPRequestParser.Result = .needMoreData
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + Int.random(in: 1 ... 64, using: &rng))
                result = bytes[start ..< end].withUnsafeBytes { parser.parse($0) }
                if case .needMoreData = result { start = end } else { break }
            }
            switch result {
            case .needMoreData:
                #expect(parser.bufferedByteCount <= HTTPRequestLimits.default.maxHeadSize)
            case let .failure(error):
                #expect((400 ... 599).contains(error.status.code))
            case let .complete(head, _):
                if case .failure = WebSocketHandshake.validateUpgrade(head) {} // a refusal is a valid outcome
            }
        }
    }
}
