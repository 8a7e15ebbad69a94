import Glibc
import Testing
import WSKit
import WSKitHeartbeat
import WSKitLiveFixtures

/// The heartbeat hosted on the epoll server, against a raw client that answers pings only when
/// told to: real ping frames, real pongs, the loop's coarse timer. Blocking socket work runs on
/// threads of its own (`runBlocking`), never on the cooperative pool.
@Suite("Heartbeat over real sockets")
struct HeartbeatOverServerTests {
    static func withServer(
        interval: Duration = .milliseconds(300), timeout: Duration = .milliseconds(300), stale: Collected<StaleEvent>,
        closes: Collected<(String, UInt16, String)>, _ body: (Int) throws -> Void
    ) throws {
        let plugin = HeartbeatPlugin(interval: interval, timeout: timeout) { stale.append(StaleEvent($0)) }
        let runtime = try heartbeatRouter(log: Collected(), closes: closes).build(plugins: HeartbeatPlugins(heartbeat: plugin))
        var configuration = testConfiguration(loops: 2)
        configuration.limits.closeTimeout = .milliseconds(300)
        let server = WebSocketServer(configuration: configuration, router: runtime) { _ in .accept(()) }
        try server.start()
        defer { server.shutdown() }
        try body(server.port)
    }

    /// Reads frames until one that is not a ping, answering each ping with a pong when `answer`.
    static func readSkippingPings(_ client: RawClient, answer: Bool, pings: inout Int) throws -> RawClient.Frame {
        while true {
            let frame = try client.readFrame()
            guard frame.opcode == 0x9 else { return frame }
            pings += 1
            if answer { client.sendFrame(opcode: 0xA, payload: frame.payload) }
        }
    }

    @Test("a silent client gets WebSocket pings; answering them keeps the connection open")
    func pingsAndPongs() async throws {
        try await runBlocking {
            let stale = Collected<StaleEvent>()
            try Self.withServer(stale: stale, closes: Collected()) { port in
                let client = try RawClient.upgraded(port: port)
                let start = monotonicSeconds()
                var pings = 0
                for _ in 0 ..< 3 {
                    let frame = try client.readFrame()
                    #expect(frame.opcode == 0x9)
                    #expect(frame.payload.isEmpty)
                    pings += 1
                    client.sendFrame(opcode: 0xA, payload: frame.payload)
                }
                let elapsed = monotonicSeconds() - start
                // Three silences of at least 300 ms each (each ping's pong restarts the interval).
                #expect(elapsed >= 0.85, "pings came too fast: \(elapsed) s")
                #expect(stale.all.isEmpty)
                client.sendText(#"{"type":"__heartbeat"}"#)
                let ack = try client.readFrame()
                #expect(ack.text.contains("__heartbeat_ack"))
            }
        }
    }

    @Test("a client that stops answering is closed with 4000 HEARTBEAT_TIMEOUT; onStale and onClose run")
    func deadClientIsClosed() async throws {
        try await runBlocking {
            let stale = Collected<StaleEvent>()
            let closes = Collected<(String, UInt16, String)>()
            try Self.withServer(stale: stale, closes: closes) { port in
                let client = try RawClient.upgraded(port: port)
                var pings = 0
                let frame = try Self.readSkippingPings(client, answer: false, pings: &pings)
                #expect(pings == 1)
                #expect(frame.opcode == 0x8)
                #expect(frame.closeCode == 4000)
                #expect(String(decoding: frame.payload.dropFirst(2), as: UTF8.self) == "HEARTBEAT_TIMEOUT")
                #expect(stale.all.count == 1)
                #expect(stale.all.first?.wasPinged == true)
                let deadline = monotonicSeconds() + 5
                while closes.all.isEmpty, monotonicSeconds() < deadline { usleep(10_000) }
                #expect(closes.all.count == 1)
            }
        }
    }

    @Test("after a heartbeat close and shutdown, the server's event loops are freed")
    func loopsAreFreedAfterShutdown() async throws {
        try await runBlocking {
            let stale = Collected<StaleEvent>()
            weak var firstLoop: EventLoop?
            weak var lastLoop: EventLoop?
            do {
                let plugin = HeartbeatPlugin(interval: .milliseconds(300), timeout: .milliseconds(300)) { stale.append(StaleEvent($0)) }
                let runtime = try heartbeatRouter(log: Collected(), closes: Collected()).build(plugins: HeartbeatPlugins(heartbeat: plugin))
                var configuration = testConfiguration(loops: 2)
                configuration.limits.closeTimeout = .milliseconds(300)
                let server = WebSocketServer(configuration: configuration, router: runtime) { _ in .accept(()) }
                try server.start()
                firstLoop = server.loops.first
                lastLoop = server.loops.last
                let client = try RawClient.upgraded(port: server.port)
                var pings = 0
                #expect(try Self.readSkippingPings(client, answer: false, pings: &pings).closeCode == 4000)
                server.shutdown()
            }
            #expect(stale.all.count == 1)
            // Nothing may keep a loop (and its read buffer) alive once the server is gone: not the
            // connection it closed, its router, the heartbeat's tick handler or `onStale`.
            let deadline = monotonicSeconds() + 5
            while firstLoop != nil || lastLoop != nil, monotonicSeconds() < deadline { usleep(10_000) }
            #expect(firstLoop == nil && lastLoop == nil, "an event loop outlived its server")
        }
    }

    @Test("a client that keeps talking is never pinged")
    func busyClientIsNotPinged() async throws {
        try await runBlocking {
            let stale = Collected<StaleEvent>()
            try Self.withServer(interval: .seconds(1), stale: stale, closes: Collected()) { port in
                let client = try RawClient.upgraded(port: port)
                for n in 0 ..< 12 {
                    client.sendText(#"{"type":"NOTE","payload":{"text":"\#(n)"}}"#)
                    usleep(100_000)
                }
                // Nothing was sent to the client: a ping would be waiting here.
                var pings = 0
                client.sendText(#"{"type":"__heartbeat"}"#)
                let frame = try Self.readSkippingPings(client, answer: true, pings: &pings)
                #expect(pings == 0)
                #expect(frame.text.contains("__heartbeat_ack"))
                #expect(stale.all.isEmpty)
            }
        }
    }

    @Test("client pings count as liveness too")
    func clientPingsCount() async throws {
        try await runBlocking {
            let stale = Collected<StaleEvent>()
            try Self.withServer(interval: .seconds(1), stale: stale, closes: Collected()) { port in
                let client = try RawClient.upgraded(port: port)
                var pongs = 0
                for _ in 0 ..< 10 {
                    client.sendFrame(opcode: 0x9, payload: Array("hi".utf8))
                    let frame = try client.readFrame()
                    #expect(frame.opcode == 0xA, "only pongs, no server ping: \(frame.opcode)")
                    if frame.opcode == 0xA { pongs += 1 }
                    usleep(100_000)
                }
                #expect(pongs == 10)
                #expect(stale.all.isEmpty)
            }
        }
    }
}
