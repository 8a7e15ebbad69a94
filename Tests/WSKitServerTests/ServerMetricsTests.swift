import Glibc
import Testing
import WSKitLiveFixtures
import WSKitMetrics
import WSKitProtocol
import WSKitServer

/// The server's message counters are tallied per event loop and published once per iteration
/// (ADR 0126): what a client has seen answered must already be in the registry, and nothing may
/// be lost when connections close or the server stops.
@Suite("Server metrics: per-loop tallies reach the registry")
struct ServerMetricsTests {
    /// Echoes text, ignores "quiet", and answers "bye" by closing and then sending once more (a
    /// dropped send).
    static func behavior() -> WebSocketBehavior<Void> {
        WebSocketBehavior(initial: ()) { ws, message in
            switch message.string {
            case "quiet":
                break
            case "bye":
                ws.close()
                ws.send(text: "too late")
            default:
                ws.send(message)
            }
        }
    }

    @Test("counts are exact as soon as the client has read its replies, with no wait", arguments: [1, 2])
    func exactAfterReplies(loops: Int) async throws {
        let registry = MetricsRegistry()
        var configuration = testConfiguration(loops: loops)
        configuration.metrics = registry
        try await runBlocking { [configuration] in
            try withServer(configuration, Self.behavior()) { _, port throws in
                let clients = try (0 ..< 2).map { _ in try RawClient.upgraded(port: port) }
                var received = 0, receivedBytes = 0, sentBytes = 0
                for round in 0 ..< 25 {
                    for (index, client) in clients.enumerated() {
                        // A message with no reply first: counted no later than the reply after it.
                        client.sendText("quiet")
                        let text = "message \(round) from \(index)" + String(repeating: "x", count: round * 7)
                        client.sendText(text)
                        #expect(try client.readFrame().text == text)
                        received += 2
                        receivedBytes += 5 + text.utf8.count
                        sentBytes += (text.utf8.count < 126 ? 2 : 4) + text.utf8.count // unmasked frame header
                        #expect(registry.value(.messagesReceived) == Double(received))
                        #expect(registry.value(.messagesSent) == Double(received / 2))
                    }
                }
                #expect(registry.value(.bytesReceived) == Double(receivedBytes))
                #expect(registry.value(.bytesSent) == Double(sentBytes))
                #expect(registry.value(.sendsDropped) == 0)
            }
        }
    }

    @Test("messages nothing answers are counted without later traffic; drops and closes are; nothing is lost at shutdown")
    func nothingLostAtCloseAndShutdown() async throws {
        let registry = MetricsRegistry()
        var configuration = testConfiguration()
        configuration.metrics = registry
        configuration.shutdownTimeout = .milliseconds(300)
        let server = WebSocketServer(configuration: configuration, behavior: Self.behavior())
        try server.start()
        try await runBlocking {
            let leaving = try RawClient.upgraded(port: server.port)
            let staying = try RawClient.upgraded(port: server.port)
            for _ in 0 ..< 3 { leaving.sendText("quiet") }
            leaving.sendText("bye")
            #expect(try leaving.readUntilClose().opcode == 0x8)
            #expect(registry.value(.messagesReceived) == 4)
            #expect(registry.value(.sendsDropped) == 1)
            // Nothing is written after these: the loop's end-of-iteration publish must bring them in.
            for _ in 0 ..< 4 { staying.sendText("quiet") }
            let deadline = monotonicSeconds() + 10
            while registry.value(.messagesReceived) < 8, monotonicSeconds() < deadline { usleep(5_000) }
            #expect(registry.value(.messagesReceived) == 8)
            server.shutdown()
            withExtendedLifetime(staying) {}
        }
        #expect(registry.value(.messagesReceived) == 8)
        #expect(registry.value(.bytesReceived) == Double(7 * 5 + 3))
        #expect(registry.value(.messagesSent) == 0)
        #expect(registry.value(.sendsDropped) == 1)
        #expect(registry.value(.connectionsOpen) == 0)
    }
}
