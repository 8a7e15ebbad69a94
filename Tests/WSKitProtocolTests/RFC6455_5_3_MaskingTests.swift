import Testing
@testable import WSKitProtocol

/// RFC 6455 §5.3: client-to-server masking, and the role rules of §5.1.
@Suite("RFC 6455 §5.3 masking")
struct RFC6455_5_3_MaskingTests {
    /// Byte-at-a-time reference: byte i is XORed with key byte (phase + i) mod 4.
    static func reference(_ data: [UInt8], key: UInt32, phase: Int) -> [UInt8] {
        let keyBytes = [UInt8(key >> 24), UInt8((key >> 16) & 0xFF), UInt8((key >> 8) & 0xFF), UInt8(key & 0xFF)]
        return data.enumerated().map { $1 ^ keyBytes[(phase + $0) % 4] }
    }

    @Test("word-at-a-time masking matches the byte-wise definition for every length, phase and alignment")
    func matchesReference() {
        let key: UInt32 = 0xA1B2_C3D4
        for alignment in 0 ..< 8 {
            for length in 0 ... 80 {
                let data = (0 ..< length).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ alignment) }
                for phase in 0 ..< 4 {
                    var storage = [UInt8](repeating: 0, count: alignment) + data
                    let nextPhase = storage.withUnsafeMutableBytes { raw in
                        WebSocketMasking.apply(key: key, phase: phase, to: UnsafeMutableRawBufferPointer(rebasing: raw[alignment...]))
                    }
                    #expect(Array(storage[alignment...]) == Self.reference(data, key: key, phase: phase))
                    #expect(nextPhase == (phase + length) % 4)
                }
            }
        }
    }

    @Test("masking in chunks, carrying the phase, equals masking at once")
    func chunkedMasking() {
        let data = (0 ..< 101).map { UInt8($0) }
        for split in [1, 2, 3, 5, 9, 17, 50] {
            var chunked = data
            chunked.withUnsafeMutableBytes { raw in
                var phase = 0
                var start = 0
                while start < raw.count {
                    let end = min(start + split, raw.count)
                    phase = WebSocketMasking.apply(key: exampleKey, phase: phase, to: UnsafeMutableRawBufferPointer(rebasing: raw[start ..< end]))
                    start = end
                }
            }
            #expect(chunked == Self.reference(data, key: exampleKey, phase: 0), "chunks of \(split)")
        }
    }

    @Test("masking twice restores the data")
    func involution() {
        var data = Array("The quick brown fox jumps over the lazy dog".utf8)
        let original = data
        data.withUnsafeMutableBytes { _ = WebSocketMasking.apply(key: 0xDEAD_BEEF, to: $0) }
        #expect(data != original)
        data.withUnsafeMutableBytes { _ = WebSocketMasking.apply(key: 0xDEAD_BEEF, to: $0) }
        #expect(data == original)
    }

    @Test("a server fails an unmasked frame with 1002")
    func serverRejectsUnmasked() {
        var server = EngineHarness.server()
        #expect(server.feed(hex("81 05 48 65 6c 6c 6f")) == [.failure(1002)])
        #expect(EngineHarness.closeCode(in: server.takeOutput()) == 1002)
    }

    @Test("a client fails a masked frame with 1002, answering with a masked close")
    func clientRejectsMasked() {
        var client = EngineHarness.client()
        #expect(client.feed(hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")) == [.failure(1002)])
        let output = client.takeOutput()
        #expect(output[0] == 0x88)
        #expect(output[1] & 0x80 != 0, "client frames are masked")
    }

    @Test("a client masks every frame with a fresh key from its key source")
    func clientUsesFreshKeys() {
        let keys: [UInt32] = [0x0102_0304, 0xA0B0_C0D0, 0x37FA_213D]
        var client = EngineHarness.client(keys: keys)
        var output = OutputBuffer()
        #expect(client.engine.send(text: "Hello", into: &output))
        #expect(client.engine.send(binary: [1, 2, 3], into: &output))
        #expect(client.engine.ping(UnsafeRawBufferPointer(start: nil, count: 0), into: &output))
        let expected = frame(0x1, Array("Hello".utf8), mask: keys[0])
            + frame(0x2, [1, 2, 3], mask: keys[1])
            + frame(0x9, [], mask: keys[2])
        #expect(output.bytes == expected)
    }

    @Test("a server writes unmasked frames")
    func serverDoesNotMask() {
        var server = EngineHarness.server()
        var output = OutputBuffer()
        server.engine.send(text: "Hello", into: &output)
        #expect(output.bytes == hex("81 05 48 65 6c 6c 6f"))
    }

    @Test("a message that arrives whole is unmasked in place in the read buffer, not copied")
    func unmaskedInPlace() {
        var server = EngineHarness.server()
        let payload = [UInt8](repeating: 0x42, count: 1000)
        #expect(server.feed(clientFrame(.binary, payload)) == [.binary(payload)])
        #expect(server.deliveredInPlace == [true])
    }
}
