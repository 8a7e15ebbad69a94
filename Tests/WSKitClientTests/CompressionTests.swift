import Testing
import WSKitProtocol
import WSKitServer
import WSKitTestSupport
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
