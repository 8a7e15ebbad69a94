import Testing
import WSKit
import WSKitTesting

/// What the router and its plugins take from the host instead of importing the protocol core:
/// the frame encoding (``FrameEncoder``) and the close-code rule (`CloseCode` in the contract).
/// Each must agree with the protocol core byte for byte.
@Suite("Router port: frame encoding and close codes agree with the protocol core")
struct RouterPortTests {
    static let lengths = [0, 1, 125, 126, 127, 65_535, 65_536, 100_000]

    /// The frame `WebSocketEngine.encodeFrame` writes for `payload`.
    static func engineFrame(_ payload: [UInt8], binary: Bool) -> [UInt8] {
        var output = OutputBuffer()
        payload.withUnsafeBytes { WebSocketEngine.encodeFrame(binary ? .binary : .text, $0, into: &output) }
        return output.bytes
    }

    /// The frame a ``FrameEncoder`` header plus `payload` make.
    static func portFrame(_ encoder: some FrameEncoder, _ payload: [UInt8], binary: Bool) -> [UInt8] {
        var header = [UInt8](repeating: 0xEE, count: type(of: encoder).maxHeaderLength)
        let length = header.withUnsafeMutableBytes {
            encoder.writeFrameHeader(binary: binary, payloadLength: payload.count, into: $0)
        }
        return Array(header[..<length]) + payload
    }

    @Test("ServerFrameEncoder and the harness's encoder write the engine's frames", arguments: lengths)
    func encodersMatchTheEngine(_ length: Int) {
        let payload = (0 ..< length).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        for binary in [false, true] {
            let expected = Self.engineFrame(payload, binary: binary)
            #expect(Self.portFrame(ServerFrameEncoder(), payload, binary: binary) == expected)
            #expect(Self.portFrame(HarnessFrameEncoder(), payload, binary: binary) == expected)
        }
    }

    @Test("CloseCode.isSendable is WebSocketCloseCode.isSendable for every code")
    func closeCodeRuleMatchesTheProtocol() {
        for code in UInt16.min ... UInt16.max {
            if CloseCode.isSendable(code) != WebSocketCloseCode(code).isSendable {
                Issue.record("close code \(code) disagrees")
            }
        }
        #expect(CloseCode.isSendable(4000))
        #expect(!CloseCode.isSendable(1005))
    }
}
