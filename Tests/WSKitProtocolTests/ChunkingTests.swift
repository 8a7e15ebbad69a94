import Testing
@testable import WSKitProtocol

/// However the bytes are cut into reads, the events and the output are the same.
@Suite("Read boundaries")
struct ChunkingTests {
    /// A conversation exercising every frame kind and length encoding.
    static let conversation: [UInt8] = {
        let large = (0 ..< 70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let medium = (0 ..< 300).map { UInt8(truncatingIfNeeded: $0) }
        return clientFrame(.text, "Hello")
            + clientFrame(.binary, medium)
            + clientFrame(.text, "κόσ", fin: false) + clientFrame(.ping, Array("beat".utf8))
            + clientFrame(.continuation, [0xCE], fin: false) + clientFrame(.continuation, [0xBC, 0xCE, 0xB5])
            + clientFrame(.pong, [])
            + clientFrame(.binary, large, mask: 0x0BAD_F00D)
            + clientFrame(.text, "")
            + clientFrame(.close, closeBody(1000, "bye"))
    }()

    static let expected: [OwnedEvent] = [
        .text("Hello"),
        .binary((0 ..< 300).map { UInt8(truncatingIfNeeded: $0) }),
        .ping(Array("beat".utf8)),
        .text("κόσμε"),
        .pong([]),
        .binary((0 ..< 70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }),
        .text(""),
        .close(1000, "bye"),
    ]

    @Test("all at once, byte by byte, and in chunks give the same events and output", arguments: [nil, 1, 2, 3, 7, 13, 125, 4096] as [Int?])
    func sameEvents(chunkSize: Int?) {
        var server = EngineHarness.server()
        #expect(server.feed(Self.conversation, chunkSize: chunkSize) == Self.expected)
        #expect(server.takeOutput() == serverFrame(.pong, Array("beat".utf8)) + serverFrame(.close, closeBody(1000)))
    }

    @Test("a failure mid-stream is reported identically however the bytes are cut", arguments: [nil, 1, 5, 64] as [Int?])
    func sameFailure(chunkSize: Int?) {
        let bytes = clientFrame(.text, "fine") + clientFrame(.text, "bad \u{20AC}", fin: false)
            + clientFrame(.continuation, [0xE2, 0x28, 0xA1]) + clientFrame(.text, "never seen")
        var server = EngineHarness.server()
        #expect(server.feed(bytes, chunkSize: chunkSize) == [.text("fine"), .failure(1007)])
        #expect(server.errors.count == 1)
        #expect(server.takeOutput() == EngineHarness.failureClose(server.errors[0]))
    }

    @Test("random read boundaries give the same events")
    func randomBoundaries() {
        var rng = SeededGenerator(state: 42)
        for _ in 0 ..< 20 {
            var reads: [[UInt8]] = []
            var start = 0
            while start < Self.conversation.count {
                let end = min(Self.conversation.count, start + Int.random(in: 1 ... 9000, using: &rng))
                reads.append(Array(Self.conversation[start ..< end]))
                start = end
            }
            var server = EngineHarness.server()
            #expect(server.feed(reads: reads) == Self.expected)
        }
    }

    @Test("a copy of the engine taken mid-message continues independently")
    func valueSemantics() {
        var first = EngineHarness.server()
        #expect(first.feed(clientFrame(.text, "shared ", fin: false) + Array(clientFrame(.continuation, "one")[..<8])) == [])
        var second = first
        #expect(first.feed(Array(clientFrame(.continuation, "one")[8...])) == [.text("shared one")])
        // The copy still holds "shared " and the first bytes of the same frame.
        #expect(second.feed(Array(clientFrame(.continuation, "one")[8...])) == [.text("shared one")])
    }
}
