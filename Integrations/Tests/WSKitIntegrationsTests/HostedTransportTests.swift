import Testing
import WSKitHostAdapter
import WSKitRouter

/// The transport foreign hosts share: frames in order, bounded by unwritten bytes.
@Suite("HostedTransport: ordered frames, bounded buffer")
struct HostedTransportTests {
    static func send(_ transport: HostedTransport, _ text: String) -> SendResult {
        Array(text.utf8).withUnsafeBytes { transport.send(text: $0) }
    }

    static func drain(_ transport: HostedTransport) async -> [String] {
        transport.finish()
        var seen: [String] = []
        for await frame in transport.frames {
            switch frame {
            case let .text(bytes): seen.append(String(decoding: bytes, as: UTF8.self))
            case .ping: seen.append("ping")
            case let .close(code, reason): seen.append("close \(code) \(reason)")
            }
        }
        return seen
    }

    @Test("frames keep their order; nothing follows the close")
    func order() async {
        let transport = HostedTransport(clientId: "c", traceParent: nil, maxBufferedBytes: 1024)
        #expect(Self.send(transport, "a") == .sent)
        #expect(Self.send(transport, "b") == .buffered)
        #expect(transport.sendPing() == .sent)
        transport.close(code: 4000, reason: "bye")
        #expect(Self.send(transport, "c") == .dropped)
        transport.close(code: 1000, reason: "again")
        #expect(await Self.drain(transport) == ["a", "b", "ping", "close 4000 bye"])
    }

    @Test("a frame over the unwritten-bytes limit is dropped and the connection closed with 1008")
    func bufferLimit() async {
        let transport = HostedTransport(clientId: "c", traceParent: nil, maxBufferedBytes: 10)
        #expect(Self.send(transport, "12345") == .sent)
        transport.didWrite(byteCount: 5)
        #expect(Self.send(transport, "1234567890") == .sent)   // written bytes no longer count
        #expect(Self.send(transport, "x") == .dropped)
        #expect(Self.send(transport, "y") == .dropped)
        #expect(await Self.drain(transport) == ["12345", "1234567890", "close 1008 send buffer full"])
    }
}
