import Testing
@testable import WSKitProtocol

/// Size limits: 1009 as soon as a header reveals the excess.
@Suite("Limits")
struct LimitsTests {
    @Test("the defaults are 1 MiB frames and messages, 4096 fragments, 5 s close timeout")
    func defaults() {
        let limits = WebSocketLimits.default
        #expect(limits.maxFrameSize == 1 << 20)
        #expect(limits.maxMessageSize == 1 << 20)
        #expect(limits.maxFragments == 4096)
        #expect(limits.closeTimeout == .seconds(5))
    }

    @Test("a frame over maxFrameSize fails with 1009 from its header alone")
    func frameTooBig() {
        var server = EngineHarness.server(limits: WebSocketLimits(maxFrameSize: 1000))
        let bytes = clientFrame(.binary, [UInt8](repeating: 0, count: 1001))
        #expect(server.feed(Array(bytes[..<8])) == [.failure(1009)])  // 4-byte header + key, no payload
        #expect(server.takeOutput() == EngineHarness.failureClose(server.errors[0]))
    }

    @Test("a frame of exactly maxFrameSize is accepted")
    func frameAtLimit() {
        var server = EngineHarness.server(limits: WebSocketLimits(maxFrameSize: 1000))
        let payload = [UInt8](repeating: 7, count: 1000)
        #expect(server.feed(clientFrame(.binary, payload)) == [.binary(payload)])
    }

    @Test("a huge 64-bit length fails with 1009 without buffering")
    func hugeLength() {
        var server = EngineHarness.server()
        let bytes: [UInt8] = [0x82, 0xFF, 0x40, 0, 0, 0, 0, 0, 0, 0] + hex("37 fa 21 3d")
        #expect(server.feed(bytes) == [.failure(1009)])
    }

    @Test("a fragment that would push the message over maxMessageSize fails at its header")
    func messageTooBig() {
        var server = EngineHarness.server(limits: WebSocketLimits(maxMessageSize: 1000))
        let part = [UInt8](repeating: 1, count: 400)
        #expect(server.feed(clientFrame(.binary, part, fin: false) + clientFrame(.continuation, part, fin: false)) == [])
        let third = clientFrame(.continuation, [UInt8](repeating: 1, count: 201))
        #expect(server.feed(Array(third[..<8])) == [.failure(1009)])
    }

    @Test("a message of exactly maxMessageSize in fragments is accepted")
    func messageAtLimit() {
        var server = EngineHarness.server(limits: WebSocketLimits(maxMessageSize: 1000))
        let part = [UInt8](repeating: 1, count: 500)
        #expect(server.feed(clientFrame(.binary, part, fin: false) + clientFrame(.continuation, part)) == [.binary(part + part)])
    }

    @Test("a single frame over maxMessageSize fails with 1009 even under maxFrameSize")
    func singleFrameOverMessageLimit() {
        var server = EngineHarness.server(limits: WebSocketLimits(maxFrameSize: 2000, maxMessageSize: 1000))
        #expect(server.feed(Array(clientFrame(.text, [UInt8](repeating: 0x61, count: 1001))[..<8])) == [.failure(1009)])
    }

    @Test("more than maxFragments frames in one message fail with 1009 at the excess header")
    func tooManyFragments() {
        var server = EngineHarness.server(limits: WebSocketLimits(maxFragments: 3))
        let three = clientFrame(.text, "a", fin: false) + clientFrame(.continuation, "b", fin: false)
            + clientFrame(.continuation, "c", fin: false)
        #expect(server.feed(three) == [])
        #expect(server.feed(Array(clientFrame(.continuation, "d")[..<6])) == [.failure(1009)])
    }

    @Test("exactly maxFragments frames are accepted, and the count restarts per message")
    func fragmentsAtLimit() {
        var server = EngineHarness.server(limits: WebSocketLimits(maxFragments: 2))
        let message = clientFrame(.text, "a", fin: false) + clientFrame(.continuation, "b")
        #expect(server.feed(message + message) == [.text("ab"), .text("ab")])
    }

    @Test("control frames between fragments do not count as fragments")
    func controlNotCounted() {
        var server = EngineHarness.server(limits: WebSocketLimits(maxFragments: 2))
        let bytes = clientFrame(.text, "a", fin: false) + clientFrame(.ping, []) + clientFrame(.ping, [])
            + clientFrame(.continuation, "b")
        #expect(server.feed(bytes) == [.ping([]), .ping([]), .text("ab")])
    }

    @Test("reassembly grows no further than maxMessageSize, and a large buffer is freed at the next pull")
    func assemblyMemory() {
        var server = EngineHarness.server(limits: WebSocketLimits(maxMessageSize: 100_000))
        let part = [UInt8](repeating: 3, count: 25_000)
        let first = clientFrame(.binary, part, fin: false) + clientFrame(.continuation, part, fin: false)
            + clientFrame(.continuation, part, fin: false)
        #expect(server.feed(first, chunkSize: 1000) == [])
        var last = clientFrame(.continuation, part)
        var output = OutputBuffer()
        last.withUnsafeMutableBytes { input in
            var offset = 0
            guard case .binary(let payload) = server.engine.nextEvent(in: input, offset: &offset, output: &output) else {
                Issue.record("expected the reassembled message")
                return
            }
            #expect(payload.count == 100_000 && payload.allSatisfy { $0 == 3 })
            #expect(server.engine.message.capacity == 100_000, "doubling is capped at the limit")
            #expect(server.engine.nextEvent(in: input, offset: &offset, output: &output) == nil)
            #expect(server.engine.message.capacity == 0, "freed at the next pull, not pinned by an idle connection")
        }
    }
}
