import WSKitContract
import WSKitProtocol
import WSKitServer
import WSKitLiveFixtures
@testable import WSKitClient

/// An in-process WSKit server (`WebSocketServer` from WSKitServer) answering the test messages
/// of `TestMessages.swift`, recording what it sees. It can be stopped and started again on the
/// same port, refuse upgrades with an HTTP status, and close connections with a code.
final class Responder: Sendable {
    struct Connection: Sendable {
        var token: String?
        var subprotocols: [String]
    }

    /// What the server saw.
    let upgrades = Recorder<Connection>()
    let received = Recorder<String>()
    let aborts = Recorder<String>()
    let tallies = Recorder<Int>()
    /// `meta.timeoutMs` of each request that carried one.
    let timeouts = Recorder<Int>()
    let closes = Recorder<UInt16>()
    /// When set, upgrades are refused with this status.
    let refuseWith = Locked<HTTPStatus?>(nil)
    /// `FLAKY` fails this many times per connection before answering.
    let flakyFailures = Locked(0)
    private let flakySeen = Locked(0)
    private let server = Locked<WebSocketServer<Connection>?>(nil)
    private let boundPort = Locked(0)

    /// Starts on an ephemeral port.
    init() throws {
        try start()
    }

    var port: Int { boundPort.withLock { $0 } }
    var url: String { "ws://127.0.0.1:\(port)/ws" }

    /// Starts (again) on the same port as before, or an ephemeral one the first time.
    func start() throws {
        var configuration = ServerConfiguration(port: boundPort.withLock { $0 }, loopCount: 1)
        configuration.timerResolution = .milliseconds(50)
        // Long enough for the client to answer the 1001 on a loaded machine; a graceful shutdown
        // returns as soon as every close handshake completed.
        configuration.shutdownTimeout = .seconds(3)
        configuration.logger = NoLogger()
        let server = WebSocketServer(configuration: configuration, behavior: behavior())
        try server.start()
        boundPort.withLock { $0 = server.port }
        self.server.withLock { $0 = server }
    }

    /// Graceful shutdown (every client gets close 1001), off the cooperative pool.
    func stop() async {
        let server = takeServer()
        _ = try? await runBlocking { server?.shutdown() }
    }

    private func takeServer() -> WebSocketServer<Connection>? {
        server.withLock { server -> WebSocketServer<Connection>? in
            defer { server = nil }
            return server
        }
    }

    deinit {
        let server = takeServer()
        inBackground { server?.shutdown() }
    }

    /// The callbacks hold the responder weakly: the server must not keep it alive, so that its
    /// `deinit` shuts the server down.
    private func behavior() -> WebSocketBehavior<Connection> {
        WebSocketBehavior<Connection>(
            upgrade: { [weak self] upgrade in
                guard let self else { return .refuse(HTTPResponse.plainText(status: HTTPStatus(code: 503), "gone")) }
                let offered = upgrade.handshake.subprotocols
                var token = upgrade.head.queryValue("access_token")
                var selected: String?
                if let bearer = offered.first(where: { $0.hasPrefix("bearer.") }) {
                    token = String(bearer.dropFirst("bearer.".count))
                    selected = bearer
                }
                let connection = Connection(token: token, subprotocols: offered)
                upgrades.append(connection)
                if let status = refuseWith.withLock({ $0 }) {
                    return .refuse(HTTPResponse.plainText(status: status, "refused"))
                }
                return .accept(connection, subprotocol: selected)
            },
            message: { [weak self] ws, message in
                guard let self, let envelope = try? Envelope.parse(message.bytes) else { return }
                received.append(envelope.type)
                if let timeout = envelope.timeoutMs { timeouts.append(timeout) }
                respond(to: envelope, on: ws)
            },
            close: { [weak self] _, code, _ in self?.closes.append(code.rawValue) }
        )
    }

    private func respond(to envelope: Envelope, on ws: WebSocket<Connection>) {
        let id = envelope.correlationId
        func send(_ type: String, _ payload: JSONValue?) {
            let reply = Envelope.outbound(type: type, payload: payload, correlationId: id, timestamp: 1)
            _ = ws.send(text: String(decoding: reply.serialized(), as: UTF8.self))
        }
        func fail(_ error: WireError) {
            let reply = Envelope.error(error, correlationId: id, timestamp: 1)
            _ = ws.send(text: String(decoding: reply.serialized(), as: UTF8.self))
        }
        let text = envelope.payload?["text"] ?? .null
        switch envelope.type {
        case "ECHO":
            send("ECHOED", ["text": text])
        case "SLOW":
            for step in 1 ... 3 { send(ReservedType.rpcProgress, ["text": .string("step \(step)")]) }
            send("ECHOED", ["text": text])
        case "FAIL":
            fail(WireError(code: .unavailable, message: "busy", details: ["shard": 3], retryAfterMs: 25))
        case "FLAKY":
            let seen = flakySeen.withLock { seen -> Int in
                seen += 1
                return seen
            }
            if seen <= flakyFailures.withLock({ $0 }) {
                fail(WireError(code: .unavailable, message: "try again", retryAfterMs: 10))
            } else {
                send("ECHOED", ["text": text])
            }
        case "WHOAMI":
            send("ECHOED", ["text": .string(ws.context.token ?? "")])
        case "NOTIFY":
            send("NEWS", text == "bad" ? ["text": 5] : ["text": text])
        case "TALLY":
            if let n = envelope.payload?["n"]?.intValue { tallies.append(n) }
        case "KICK":
            ws.close(code: WebSocketCloseCode(UInt16(envelope.payload?["n"]?.intValue ?? 1000)), reason: "kicked")
        case ReservedType.abort:
            if let id { aborts.append(id) }
        default:
            break
        }
    }
}

