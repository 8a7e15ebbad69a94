import Glibc
import Synchronization
import Testing
import WSKitLiveFixtures
import WSKitMetrics
import WSKitProtocol
import WSKitServer

/// The limits a public server needs (ADR 0093), over real sockets: connections and handshakes
/// per client address, a trusted proxy's forwarded address, and the server-wide cap on unsent
/// bytes. The test clients all come from 127.0.0.1, so these tests turn off the loopback
/// exemption.
@Suite("Server limits: per client address and on the server's total of unsent bytes")
struct ServerLimitsTests {
    private func strictConfiguration(_ limits: ClientAddressLimits, metrics: MetricsRegistry? = nil) -> ServerConfiguration {
        var configuration = testConfiguration()
        var limits = limits
        limits.exemptLoopback = false
        configuration.clientAddressLimits = limits
        configuration.metrics = metrics
        return configuration
    }

    private func refused(_ registry: MetricsRegistry, _ reason: String) -> Double {
        registry.value(.connectionsRefused, labels: MetricLabels("reason", reason))
    }

    @Test("beyond maxConnections per address, upgrades get 503; a close makes room again")
    func connectionsPerAddress() async throws {
        try await runBlocking {
            let registry = MetricsRegistry()
            let configuration = strictConfiguration(ClientAddressLimits(maxConnections: 3, handshakeRate: nil), metrics: registry)
            try withServer(configuration, echoBehavior()) { server, port throws in
                var clients = try (0 ..< 3).map { _ in try RawClient.upgraded(port: port) }
                let refusedClient = try RawClient(port: port)
                let response = try refusedClient.handshake()
                #expect(response.hasPrefix("HTTP/1.1 503"))
                #expect(!response.contains("Retry-After"))
                #expect(refusedClient.waitForEOF())
                #expect(refused(registry, "address_connections") == 1)
                // The three still work.
                clients[0].sendText("still here")
                #expect(try clients[0].readFrame().text == "still here")
                clients.removeLast()
                #expect(Recorder<Int>().wait { _ in server.connectionCount == 2 })
                let again = try RawClient.upgraded(port: port)
                again.sendText("back")
                #expect(try again.readFrame().text == "back")
            }
        }
    }

    @Test("a refused connection that sends no request is closed within a second, not after the handshake timeout")
    func refusedSocketsDoNotPileUp() async throws {
        try await runBlocking {
            var configuration = strictConfiguration(ClientAddressLimits(maxConnections: 1, handshakeRate: nil))
            configuration.handshakeTimeout = .seconds(30)
            try withServer(configuration, echoBehavior()) { server, port throws in
                let admitted = try RawClient.upgraded(port: port)
                let start = monotonicSeconds()
                let silent = try (0 ..< 20).map { _ in try RawClient(port: port, timeout: 5) }
                #expect(silent.allSatisfy { $0.waitForEOF() })
                #expect(monotonicSeconds() - start < 3, "closed after \(monotonicSeconds() - start) s")
                #expect(Recorder<Int>().wait { _ in server.connectionCount == 1 })
                admitted.sendText("unaffected")
                #expect(try admitted.readFrame().text == "unaffected")
            }
        }
    }

    @Test("loopback peers are exempt by default: the limits never stop local clients")
    func loopbackExempt() async throws {
        try await runBlocking {
            var configuration = testConfiguration()
            configuration.clientAddressLimits = ClientAddressLimits(maxConnections: 2, handshakeRate: HandshakeRate(1, per: .seconds(60)))
            try withServer(configuration, echoBehavior()) { _, port throws in
                let clients = try (0 ..< 20).map { _ in try RawClient.upgraded(port: port) }
                clients[19].sendText("fine")
                #expect(try clients[19].readFrame().text == "fine")
            }
        }
    }

    @Test("faster than the handshake rate, upgrades get 503 with Retry-After, and later succeed")
    func handshakeRate() async throws {
        try await runBlocking {
            let registry = MetricsRegistry()
            // One handshake per 2 seconds after a burst of 2.
            let configuration = strictConfiguration(ClientAddressLimits(handshakeRate: HandshakeRate(1, per: .seconds(2), burst: 2)), metrics: registry)
            try withServer(configuration, echoBehavior()) { _, port throws in
                _ = try RawClient.upgraded(port: port)
                _ = try RawClient.upgraded(port: port)
                let start = monotonicSeconds()
                let client = try RawClient(port: port)
                let response = try client.handshake()
                #expect(response.hasPrefix("HTTP/1.1 503"))
                let retryAfter = response.split(separator: "\r\n").first { $0.hasPrefix("Retry-After:") }
                    .flatMap { Int($0.dropFirst("Retry-After:".count).trimmingCharacters()) }
                #expect(retryAfter.map { (1 ... 2).contains($0) } == true, "\(response)")
                #expect(refused(registry, "address_handshake_rate") == 1)
                // After the time it named, a handshake is admitted (retry until then costs nothing).
                usleep(UInt32(max(0, Double(retryAfter ?? 2) - (monotonicSeconds() - start)) * 1_000_000) + 100_000)
                let later = try RawClient.upgraded(port: port)
                later.sendText("admitted")
                #expect(try later.readFrame().text == "admitted")
            }
        }
    }

    @Test("behind a trusted proxy the limits key on the last X-Forwarded-For address; untrusted peers' headers are ignored")
    func trustedProxy() async throws {
        try await runBlocking {
            var limits = ClientAddressLimits(maxConnections: 1, handshakeRate: nil)
            limits.trustedProxies = ["127.0.0.1"]
            var configuration = testConfiguration()
            configuration.clientAddressLimits = limits   // loopback exempt: the proxy itself is not limited
            try withServer(configuration, echoBehavior()) { server, port throws in
                let first = try RawClient.upgraded(port: port, headers: ["X-Forwarded-For: 203.0.113.7"])
                let second = try RawClient(port: port)
                #expect(try second.handshake(headers: ["X-Forwarded-For: 203.0.113.7"]).hasPrefix("HTTP/1.1 503"))
                // A client-supplied earlier element does not change the key: the proxy's last one does.
                let forged = try RawClient(port: port)
                #expect(try forged.handshake(headers: ["X-Forwarded-For: 198.51.100.1, 203.0.113.7"]).hasPrefix("HTTP/1.1 503"))
                let other = try RawClient.upgraded(port: port, headers: ["X-Forwarded-For: 203.0.113.8"])
                other.sendText("other client")
                #expect(try other.readFrame().text == "other client")
                // No header: the proxy's own address, exempt as loopback.
                _ = try RawClient.upgraded(port: port)
                _ = try RawClient.upgraded(port: port)
                // Closing frees the forwarded address's place.
                first.sendFrame(opcode: 0x8, payload: [0x03, 0xE8])
                _ = try first.readUntilClose()
                #expect(Recorder<Int>().wait { _ in server.connectionCount == 1 }, "\(server.connectionCount)")
                _ = try RawClient.upgraded(port: port, headers: ["X-Forwarded-For: 203.0.113.7"])
            }
            // A peer that is not a trusted proxy cannot pick its key with the header.
            var untrusted = ClientAddressLimits(maxConnections: 1, handshakeRate: nil)
            untrusted.exemptLoopback = false
            configuration.clientAddressLimits = untrusted
            try withServer(configuration, echoBehavior()) { _, port throws in
                let first = try RawClient.upgraded(port: port, headers: ["X-Forwarded-For: 203.0.113.7"])
                let second = try RawClient(port: port)
                #expect(try second.handshake(headers: ["X-Forwarded-For: 203.0.113.8"]).hasPrefix("HTTP/1.1 503"))
                withExtendedLifetime(first) {}
            }
        }
    }

    @Test("at maxTotalBufferedBytes, new upgrades get 503 and a backlogged connection that sends more is closed with 1013")
    func totalBufferedBytes() async throws {
        try await runBlocking {
            let registry = MetricsRegistry()
            var configuration = testConfiguration()
            configuration.maxTotalBufferedBytes = 256 * 1024
            configuration.maxBufferedBytes = 16 << 20
            configuration.metrics = registry
            let connections = Mutex<[String: WebSocket<Void>]>([:])
            let closes = Recorder<String>()
            let chunk = [UInt8](repeating: 7, count: 16 * 1024)
            let behavior = WebSocketBehavior<Void>(
                initial: (),
                message: { ws, message in
                    let text = message.string
                    if text.hasPrefix("name ") {
                        connections.withLock { $0[String(text.dropFirst(5))] = ws }
                    } else if text == "fill" {
                        // 4 MiB to this connection: far more than the kernel's buffers hold for a
                        // peer with a small receive window.
                        for _ in 0 ..< 256 { ws.send(binary: chunk) }
                    } else if text.hasPrefix("poke ") {
                        connections.withLock { $0[String(text.dropFirst(5))] }?.send(binary: chunk)
                    }
                },
                close: { ws, code, _ in
                    let name = connections.withLock { names in names.first { $0.value === ws }?.key }
                    closes.append("\(name ?? "?") \(code.rawValue)")
                }
            )
            try withServer(configuration, behavior) { server, port throws in
                defer { connections.withLock { $0.removeAll() } }
                let slow = try RawClient.upgraded(port: port)
                var size: Int32 = 4096
                setsockopt(slow.fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
                slow.sendText("name slow")
                let fast = try RawClient.upgraded(port: port)
                fast.sendText("name fast")
                #expect(Recorder<Int>().wait { _ in connections.withLock { $0.count } == 2 })
                slow.sendText("fill")
                #expect(Recorder<Int>().wait { _ in server.totalBufferedBytes >= 256 * 1024 }, "total \(server.totalBufferedBytes)")
                // Over the cap: no new connection.
                let refusedClient = try RawClient(port: port)
                let response = try refusedClient.handshake()
                #expect(response.hasPrefix("HTTP/1.1 503"))
                #expect(response.contains("Retry-After: 5"))
                #expect(registry.value(.connectionsRefused, labels: MetricLabels("reason", "buffered_bytes")) == 1)
                // One more message for the backlogged connection: it is closed with 1013.
                fast.sendText("poke slow")
                #expect(closes.wait { $0.contains("slow 1013") }, "\(closes.all)")
                // Its backlog is released (all but its close frame, which it does not read either:
                // the close timeout ends it), and the server takes connections again.
                #expect(Recorder<Int>().wait { _ in server.totalBufferedBytes < 1024 }, "total \(server.totalBufferedBytes)")
                _ = try RawClient.upgraded(port: port)
                fast.sendText("poke fast")
                #expect(try fast.readFrame().payload == chunk)
                #expect(!closes.all.contains { $0.hasPrefix("fast") })
                withExtendedLifetime(slow) {}
            }
        }
    }
}
