import Glibc
import Testing
import WSKitLiveFixtures
import WSKitProtocol
import WSKitServer

@Suite("Echo over real sockets")
struct EchoTests {
    @Test("text and binary messages come back unchanged", arguments: [1, 2])
    func textAndBinary(loops: Int) async throws {
        try await runBlocking {
            try withServer(testConfiguration(loops: loops), echoBehavior()) { _, port throws in
                let client = try RawClient.upgraded(port: port)
                client.sendText("Hello, WSKit")
                #expect(try client.readFrame() == .init(fin: true, opcode: 0x1, payload: Array("Hello, WSKit".utf8)))
                let binary = (0 ..< 70_000).map { UInt8($0 & 0xFF) }
                client.sendFrame(opcode: 0x2, payload: binary)
                #expect(try client.readFrame() == .init(fin: true, opcode: 0x2, payload: binary))
            }
        }
    }

    @Test("a fragmented message with a ping in the middle is echoed whole, after the pong")
    func fragmentedWithPing() async throws {
        try await runBlocking {
            try withServer(echoBehavior()) { _, port throws in
                let client = try RawClient.upgraded(port: port)
                client.sendFrame(opcode: 0x1, payload: Array("Hel".utf8), fin: false)
                client.sendFrame(opcode: 0x9, payload: [1, 2, 3])
                client.sendFrame(opcode: 0x0, payload: Array("lo".utf8), fin: true)
                #expect(try client.readFrame() == .init(fin: true, opcode: 0xA, payload: [1, 2, 3]))
                #expect(try client.readFrame() == .init(fin: true, opcode: 0x1, payload: Array("Hello".utf8)))
            }
        }
    }

    @Test("frames split across many tiny writes are reassembled")
    func byteByByte() async throws {
        try await runBlocking {
            try withServer(echoBehavior()) { _, port throws in
                let client = try RawClient.upgraded(port: port)
                let frame = RawClient.encode(opcode: 0x1, payload: Array("split into single bytes".utf8))
                for byte in frame {
                    client.write([byte])
                    usleep(200)
                }
                #expect(try client.readFrame().text == "split into single bytes")
            }
        }
    }

    @Test("frames pipelined right behind the upgrade request are not lost")
    func pipelinedAfterHandshake() async throws {
        try await runBlocking {
            try withServer(echoBehavior()) { _, port throws in
                let client = try RawClient(port: port)
                var request = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
                client.write(Array(request.utf8) + RawClient.encode(opcode: 0x1, payload: Array("early".utf8)))
                let head = try client.readResponseHead()
                #expect(head.hasPrefix("HTTP/1.1 101"))
                #expect(head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="))
                #expect(try client.readFrame().text == "early")
            }
        }
    }
}
