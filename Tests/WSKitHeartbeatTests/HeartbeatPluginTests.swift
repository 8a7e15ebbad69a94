import Testing
import WSKitContract
import WSKitHeartbeat
import WSKitRouter
import WSKitTesting

/// The heartbeat's rules through the harness: the fake clock drives the connections' coarse tick.
@Suite("Heartbeat plugin")
struct HeartbeatPluginTests {
    let log = Collected<String>()
    let closes = Collected<(String, UInt16, String)>()
    let stale = Collected<StaleEvent>()

    /// Interval 1 s, timeout 500 ms, ticks every 100 ms.
    func harness(_ configure: (inout HeartbeatPlugin) -> Void = { _ in }) throws -> TestHarness<Void, HeartbeatPlugins> {
        let stale = stale
        var plugin = HeartbeatPlugin(interval: .seconds(1), timeout: .milliseconds(500)) { stale.append(StaleEvent($0)) }
        configure(&plugin)
        return try TestHarness(
            heartbeatRouter(log: log, closes: closes), plugins: HeartbeatPlugins(heartbeat: plugin), tickInterval: .milliseconds(100))
    }

    @Test("a silent connection is pinged after the interval, not before, and a live peer's pong keeps it open")
    func pingsAfterTheInterval() async throws {
        let harness = try harness()
        let alice = await harness.connect()
        await harness.advance(by: .milliseconds(1_000))
        #expect(alice.pingsReceived == 0)
        await harness.advance(by: .milliseconds(100))
        #expect(alice.pingsReceived == 1)
        // The pong (answered at once) is a sign of life: the next ping comes one interval later.
        await harness.advance(by: .milliseconds(5_000))
        #expect(alice.pingsReceived >= 4)
        #expect(alice.serverClose == nil)
        #expect(stale.all.isEmpty)
        try await harness.finish()
    }

    @Test("a peer that stopped answering is stale after interval + timeout: onStale, then close 4000 HEARTBEAT_TIMEOUT and onClose")
    func deadPeerIsClosed() async throws {
        let harness = try harness()
        let bob = await harness.connect(clientId: "bob")
        bob.setAnswersPings(false)
        await harness.advance(by: .milliseconds(1_100))
        #expect(bob.pingsReceived == 1)
        await harness.advance(by: .milliseconds(400))
        #expect(bob.serverClose == nil)
        await harness.advance(by: .milliseconds(100))
        #expect(bob.serverClose == ServerClose(code: 4000, reason: "HEARTBEAT_TIMEOUT"))
        let event = try #require(stale.all.first)
        #expect(stale.all.count == 1)
        #expect(event.clientId == "bob")
        #expect(event.wasPinged)
        #expect(event.silentFor == .milliseconds(1_500))
        #expect(closes.all.map(\.0) == ["bob"])
        #expect(closes.all.first?.1 == 4000)
        // Gone from the sweep: no more pings, no second stale report.
        await harness.advance(by: .milliseconds(10_000))
        #expect(bob.pingsReceived == 1)
        #expect(stale.all.count == 1)
        try await harness.finish()
    }

    @Test("any inbound frame is a sign of life: messages, pings and pongs from the client")
    func anyFrameCountsAsLiveness() async throws {
        let harness = try harness()
        let chatty = await harness.connect(clientId: "chatty")
        let pinger = await harness.connect(clientId: "pinger")
        let ponger = await harness.connect(clientId: "ponger")
        for connection in [chatty, pinger, ponger] { connection.setAnswersPings(false) }
        for round in 0 ..< 20 {
            await harness.advance(by: .milliseconds(700))
            try await chatty.send(Note.self, .init(text: "\(round)"))
            await pinger.sendPing()
            await ponger.sendPong()
        }
        #expect(chatty.pingsReceived == 0)
        #expect(pinger.pingsReceived == 0)
        #expect(ponger.pingsReceived == 0)
        #expect(stale.all.isEmpty)
        try await harness.finish()
    }

    @Test("any frame after the ping — not only the pong — clears the suspicion")
    func messageAfterPingSavesTheConnection() async throws {
        let harness = try harness()
        let carol = await harness.connect()
        carol.setAnswersPings(false)
        await harness.advance(by: .milliseconds(1_100))
        #expect(carol.pingsReceived == 1)
        try await carol.send(Note.self, .init(text: "still here"))
        await harness.advance(by: .milliseconds(900))
        #expect(carol.serverClose == nil)
        #expect(carol.pingsReceived == 1)
        await harness.advance(by: .milliseconds(200))
        #expect(carol.pingsReceived == 2)
        await harness.advance(by: .milliseconds(500))
        #expect(carol.serverClose?.code == 4000)
        try await harness.finish()
    }

    @Test("__heartbeat is answered __heartbeat_ack with the server time, runs no middleware or handler, and counts as liveness")
    func applicationHeartbeat() async throws {
        let harness = try harness()
        let dave = await harness.connect()
        dave.setAnswersPings(false)
        for _ in 0 ..< 10 {
            await harness.advance(by: .milliseconds(900))
            await dave.sendText(#"{"type":"__heartbeat"}"#)
        }
        #expect(dave.pingsReceived == 0)
        #expect(dave.serverClose == nil)
        let acks = dave.frames.filter { $0.type == "__heartbeat_ack" }
        #expect(acks.count == 10)
        #expect(acks.last?.timestamp == harness.clock.nowMs)
        #expect(acks.last?.meta["ts"]?.doubleValue == Double(harness.clock.nowMs))
        #expect(dave.errors.isEmpty)
        #expect(log.all.isEmpty)
        try await harness.finish()
    }

    @Test("passive mode sends no pings: a connection silent for interval + timeout is stale")
    func passiveMode() async throws {
        let harness = try harness { $0.sendsPings = false }
        let erin = await harness.connect()
        await harness.advance(by: .milliseconds(1_400))
        #expect(erin.serverClose == nil)
        await harness.advance(by: .milliseconds(200))
        #expect(erin.pingsReceived == 0)
        #expect(erin.serverClose?.code == 4000)
        #expect(stale.all.first?.wasPinged == false)
        try await harness.finish()
    }

    @Test("close code and reason are configurable; onStale may look at the connection first")
    func customClose() async throws {
        let harness = try harness {
            $0.closeCode = 1011
            $0.closeReason = "keepalive ping timeout"
        }
        let frank = await harness.connect()
        frank.setAnswersPings(false)
        await harness.advance(by: .milliseconds(2_000))
        #expect(frank.serverClose == ServerClose(code: 1011, reason: "keepalive ping timeout"))
        #expect(stale.all.first?.connectionClientId == frank.clientId)
        try await harness.finish()
    }

    @Test("switched off by configuration: no pings, no closes, no tick handler, __heartbeat still answered by the plugin")
    func disabled() async throws {
        let harness = try TestHarness(
            heartbeatRouter(log: log, closes: closes), plugins: HeartbeatPlugins(heartbeat: .disabled), tickInterval: .milliseconds(100))
        let gina = await harness.connect()
        gina.setAnswersPings(false)
        await harness.advance(by: .milliseconds(60_000))
        #expect(gina.pingsReceived == 0)
        #expect(gina.serverClose == nil)
        #expect(harness.ticker.handlerCount == 0)
        await gina.sendText(#"{"type":"__heartbeat"}"#)
        #expect(gina.frames.map(\.type) == ["__heartbeat_ack"])
        try await harness.finish()
    }

    @Test("without answersHeartbeatMessages the router rejects __heartbeat like any unclaimed reserved type")
    func heartbeatAnswersCanBeSwitchedOff() async throws {
        var plugin = HeartbeatPlugin()
        plugin.answersHeartbeatMessages = false
        let harness = try TestHarness(
            heartbeatRouter(log: log, closes: closes), plugins: HeartbeatPlugins(heartbeat: plugin))
        let hank = await harness.connect()
        await hank.sendText(#"{"type":"__heartbeat"}"#)
        #expect(hank.errors.map(\.code) == [.invalidArgument])
        try await harness.finish()
    }

    @Test("one tick handler per ticker (event loop), however many connections; no per-connection timers")
    func oneTimerPerLoop() async throws {
        let harness = try harness()
        var connections: [TestConnection<Void, HeartbeatPlugins>] = []
        for _ in 0 ..< 50 { connections.append(await harness.connect()) }
        #expect(harness.ticker.handlerCount == 1)
        #expect(harness.clock.pendingTimerCount == 0)
        for connection in connections.prefix(25) { connection.setAnswersPings(false) }
        await harness.advance(by: .milliseconds(1_600))
        #expect(connections.filter { $0.serverClose != nil }.count == 25)
        #expect(connections.allSatisfy { $0.pingsReceived == 1 })
        #expect(harness.ticker.handlerCount == 1)
        try await harness.finish()
    }

    @Test("a connection closed by its client leaves the sweep")
    func closedConnectionsLeave() async throws {
        let harness = try harness()
        let ivy = await harness.connect()
        await harness.advance(by: .milliseconds(300))
        await ivy.close()
        await harness.advance(by: .milliseconds(5_000))
        #expect(ivy.pingsReceived == 0)
        #expect(stale.all.isEmpty)
        try await harness.finish()
    }

    @Test("invalid settings fail the build")
    func buildChecks() {
        for plugin in [
            HeartbeatPlugin(interval: .zero), HeartbeatPlugin(timeout: .milliseconds(-1)), HeartbeatPlugin(closeCode: 1006),
            HeartbeatPlugin(closeCode: 1005), HeartbeatPlugin(closeCode: 5000), HeartbeatPlugin(closeCode: 999),
            HeartbeatPlugin(closeReason: String(repeating: "x", count: 124)), HeartbeatPlugin(fallbackTick: .microseconds(999)),
        ] {
            #expect(throws: RouterBuildError.self) {
                try heartbeatRouter(log: log, closes: closes).build(plugins: HeartbeatPlugins(heartbeat: plugin))
            }
        }
        #expect(HeartbeatPlugin.isSendableCloseCode(4000))
        #expect(HeartbeatPlugin.isSendableCloseCode(1011))
        #expect(!HeartbeatPlugin.isSendableCloseCode(1015))
    }
}
