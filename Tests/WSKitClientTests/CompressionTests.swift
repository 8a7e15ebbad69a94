#if canImport(Glibc)
import Glibc
#endif
import Testing
import WSKitProtocol
import WSKitServer
import WSKitLiveFixtures
@testable import WSKitClient

@Suite("permessage-deflate on the client")
struct ClientCompressionTests {
    func connect(_ url: String, options: WebSocketConnectionOptions = WebSocketConnectionOptions()) throws
        -> (WebSocketClientConnection, EventLog) {
        let log = EventLog()
        let connection = try WebSocketClientConnection(url: WebSocketURL(url), options: options) { log.events.append($0) }
        connection.start()
        return (connection, log)
    }

    @Test("the client offers compression by default; a WSKit server accepts it and messages round-trip")
    func negotiatedByDefault() async throws {
        var configuration = testConfiguration()
        configuration.compression = .default
        let server = WebSocketServer(configuration: configuration, behavior: echoBehavior())
        try server.start()
        defer { server.shutdown() }
        let (connection, log) = try connect("ws://127.0.0.1:\(server.port)/")
        let text = String(repeating: "permessage-deflate round trip · ", count: 500)
        connection.send(text: text)
        connection.send(text: "tiny")
        connection.send(binary: [UInt8](repeating: 9, count: 100_000))
        #expect(await eventually { log.texts.count == 2 && log.binaries.count == 1 })
        #expect(log.texts == [text, "tiny"])
        #expect(log.binaries.first == [UInt8](repeating: 9, count: 100_000))
        let accepted = try #require(log.opened)
        #expect(accepted.extensions.map(\.headerValue)
            == ["permessage-deflate; server_max_window_bits=12; client_max_window_bits=12"])
        connection.close()
        #expect(await log.waitClosed()?.wasClean == true)
    }

    @Test("with compression set to nil the client offers nothing")
    func disabled() async throws {
        var configuration = testConfiguration()
        configuration.compression = .default
        var options = WebSocketConnectionOptions()
        options.compression = nil
        let server = WebSocketServer(configuration: configuration, behavior: echoBehavior())
        try server.start()
        defer { server.shutdown() }
        let (connection, log) = try connect("ws://127.0.0.1:\(server.port)/", options: options)
        connection.send(text: String(repeating: "x", count: 1000))
        #expect(await eventually { log.texts.count == 1 })
        #expect(log.opened?.extensions == [])
        connection.close()
        #expect(await log.waitClosed()?.wasClean == true)
    }

    static let pythonEcho = #"""
    import asyncio, sys
    from websockets.asyncio.server import serve

    async def echo(ws):
        async for message in ws:
            await ws.send(message)

    async def main():
        async with serve(echo, "127.0.0.1", 0, max_size=2**24) as server:
            print(server.sockets[0].getsockname()[1], flush=True)
            await asyncio.Future()

    asyncio.run(main())
    """#

    @Test("interop: against Python websockets the extension is negotiated and compressed frames flow both ways")
    func pythonServer() async throws {
        let path = "/tmp/wskit-deflate-echo-\(getpid()).py"
        defer { unlink(path) }
        let file = fopen(path, "w")
        fputs(Self.pythonEcho, file)
        fclose(file)
        let python = try ChildProcess(try conformancePython(), ["-u", path])
        defer { python.terminate() }
        let port = Int(try await python.waitForLine("its port") { Int($0) != nil })!
        let tap = try FrameTap(upstreamPort: port)
        let (connection, log) = try connect("ws://127.0.0.1:\(tap.port)/")
        let messages = (0 ..< 10).map { String(repeating: "{\"seq\":\($0),\"text\":\"compress me\"} ", count: 20 + $0 * 30) }
        for message in messages { connection.send(text: message) }
        #expect(await eventually { log.texts.count == messages.count })
        #expect(log.texts == messages)
        let accepted = try #require(log.opened)
        #expect(accepted.extensions.first?.name == "permessage-deflate")
        #expect(tap.toServer.compressedFrames == messages.count)
        #expect(tap.toClient.compressedFrames == messages.count)
        connection.close()
        #expect(await log.waitClosed()?.wasClean == true)
    }

    @Test("an invalid permessage-deflate answer fails the connection")
    func invalidAnswer() async throws {
        let server = try RawServer(mode: .invalidDeflateAnswer)
        defer { withExtendedLifetime(server) {} }
        let (_, log) = try connect("ws://127.0.0.1:\(server.port)/")
        guard case .handshakeFailed(.invalidExtensionResponse)? = await log.waitClosed()?.cause else {
            Issue.record("expected invalidExtensionResponse, got \(String(describing: log.closed))")
            return
        }
        #expect(log.opened == nil)
    }
}
