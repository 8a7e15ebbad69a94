import WSKitLiveFixtures
import Testing
import WSKitProtocol
@testable import WSKitClient

/// Collects a connection's events and lets a test wait for them.
final class EventLog: Sendable {
    let events = Recorder<WebSocketConnectionEvent>()

    var texts: [String] { events.all.compactMap { if case .text(let text) = $0 { text } else { nil } } }
    var binaries: [[UInt8]] { events.all.compactMap { if case .binary(let bytes) = $0 { bytes } else { nil } } }
    var pongs: [[UInt8]] { events.all.compactMap { if case .pong(let bytes) = $0 { bytes } else { nil } } }
    var opened: WebSocketClientHandshake.Accepted? {
        events.all.lazy.compactMap { if case .open(let accepted) = $0 { accepted } else { nil } }.first
    }
    var closed: WebSocketCloseInfo? {
        events.all.lazy.compactMap { if case .closed(let info) = $0 { info } else { nil } }.first
    }

    func waitClosed(timeout: Double = 30) async -> WebSocketCloseInfo? {
        await eventually(timeout: timeout) { closed != nil }
        return closed
    }
}

@Suite("WebSocketClientConnection over real sockets")
struct ConnectionTests {
    func connect(_ url: String, options: WebSocketConnectionOptions = WebSocketConnectionOptions()) throws
        -> (WebSocketClientConnection, EventLog) {
        let log = EventLog()
        let connection = try WebSocketClientConnection(url: WebSocketURL(url), options: options) { log.events.append($0) }
        connection.start()
        return (connection, log)
    }

    @Test("messages queued before the handshake go out after it; replies and pongs come back; clean close")
    func echoAndClose() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let (connection, log) = try connect(responder.url)
        connection.send(text: #"{"type":"ECHO","meta":{"correlationId":"a"},"payload":{"text":"héllo"}}"#)
        connection.send(binary: Array(#"{"type":"ECHO","payload":{"text":"bin"}}"#.utf8))
        connection.ping([1, 2, 3])
        #expect(await eventually { log.texts.count == 2 && log.pongs.count == 1 })
        #expect(log.texts.last?.contains(#""text":"bin""#) == true)
        #expect(log.opened != nil)
        #expect(log.texts.first?.contains(#""text":"héllo""#) == true)
        #expect(log.pongs == [[1, 2, 3]])
        connection.close(code: .normalClosure, reason: "bye")
        let info = await log.waitClosed()
        #expect(info?.cause == .clientClosed)
        #expect(info?.code == .normalClosure)
        #expect(info?.wasClean == true)
        #expect(await eventually { responder.closes.all == [1000] })
        #expect(!connection.send(text: "late"), "sends after close are refused")
    }

    @Test("the server's close is answered and reported with its code")
    func serverClose() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let (connection, log) = try connect(responder.url)
        connection.send(text: #"{"type":"KICK","payload":{"n":4000}}"#)
        let info = await log.waitClosed()
        #expect(info?.cause == .serverClosed)
        #expect(info?.code.rawValue == 4000)
        #expect(info?.reason == "kicked")
        #expect(info?.wasOpen == true)
    }

    @Test("a refused port, an HTTP refusal and a wrong Sec-WebSocket-Accept each fail the connection")
    func handshakeFailures() async throws {
        let refusedPort = try RawServer(mode: .neverAnswer)
        defer { withExtendedLifetime(refusedPort) {} }
        let port = refusedPort.port
        refusedPort.stop()
        let (_, refused) = try connect("ws://127.0.0.1:\(port)/")
        guard case .transport(.connect)? = await refused.waitClosed()?.cause else {
            Issue.record("expected a connect failure, got \(String(describing: refused.closed))")
            return
        }

        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        responder.refuseWith.withLock { $0 = .unauthorized }
        let (_, unauthorized) = try connect(responder.url)
        #expect(await unauthorized.waitClosed()?.httpStatus?.code == 401)

        let liar = try RawServer(mode: .wrongAccept)
        defer { withExtendedLifetime(liar) {} }
        let (_, wrong) = try connect("ws://127.0.0.1:\(liar.port)/")
        guard case .handshakeFailed(.wrongAccept)? = await wrong.waitClosed()?.cause else {
            Issue.record("expected wrongAccept, got \(String(describing: wrong.closed))")
            return
        }
        #expect(wrong.opened == nil)
    }

    @Test("a server that never answers the upgrade hits the connect timeout")
    func handshakeTimeout() async throws {
        let mute = try RawServer(mode: .neverAnswer)
        defer { withExtendedLifetime(mute) {} }
        let (_, log) = try connect("ws://127.0.0.1:\(mute.port)/", options: WebSocketConnectionOptions(connectTimeout: .milliseconds(300)))
        #expect(await log.waitClosed()?.cause == .handshakeTimeout)
    }

    @Test("the heartbeat declares a silent server dead")
    func heartbeat() async throws {
        let silent = try RawServer(mode: .silentAfterHandshake)
        defer { withExtendedLifetime(silent) {} }
        let options = WebSocketConnectionOptions(heartbeat: Heartbeat(interval: .milliseconds(200), timeout: .milliseconds(200)))
        let (_, log) = try connect("ws://127.0.0.1:\(silent.port)/", options: options)
        let clock = ContinuousClock()
        let start = clock.now
        #expect(await log.waitClosed()?.cause == .heartbeatTimeout)
        #expect(clock.now - start >= .milliseconds(350))
        #expect(log.opened != nil)
    }

    @Test("abort drops the connection at once, before or after it opened")
    func abort() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let log = EventLog()
        let early = try WebSocketClientConnection(url: WebSocketURL(responder.url)) { log.events.append($0) }
        early.abort()
        early.start()
        #expect(await log.waitClosed()?.cause == .aborted)

        let (connection, opened) = try connect(responder.url)
        #expect(await eventually { opened.opened != nil })
        connection.abort()
        #expect(await opened.waitClosed()?.cause == .aborted)
        #expect(await eventually { responder.closes.all == [1006] })
    }

    @Test("an invalid subprotocol is refused before connecting")
    func invalidSubprotocol() throws {
        #expect(throws: WebSocketConnectionError.invalidSubprotocol("a b")) {
            try WebSocketClientConnection(url: WebSocketURL("ws://127.0.0.1:1/"),
                                          options: WebSocketConnectionOptions(subprotocols: ["a b"])) { _ in }
        }
    }

    @Test("wss:// is served by the default transport through TLS: a closed port is a connect error, not unsupported")
    func secureUsesTLS() async throws {
        let (_, log) = try connect("wss://127.0.0.1:1/")
        guard case .transport(.connect)? = await log.waitClosed()?.cause else {
            Issue.record("expected a connect error, got \(String(describing: log.closed))")
            return
        }
    }
}
