import Synchronization
import Testing
import WSKitContract
import WSKitHeartbeat
import WSKitRouter
import WSKitTesting

/// A host that offers pings but no ticker.
final class TickerlessTransport: RouterTransport {
    private let state = Mutex<(pings: Int, close: ServerClose?)>((0, nil))
    func send(text bytes: UnsafeRawBufferPointer) -> SendResult { .sent }
    func close(code: UInt16, reason: String) { state.withLock { $0.close = ServerClose(code: code, reason: reason) } }
    func sendPing() -> SendResult {
        state.withLock { $0.pings += 1 }
        return .sent
    }
    var pings: Int { state.withLock { $0.pings } }
    var serverClose: ServerClose? { state.withLock { $0.close } }
}

@Suite("Heartbeat on a host without a ticker")
struct HeartbeatFallbackTests {
    @Test("one shared timer on the router's clock sweeps the connections instead")
    func fallbackTicker() throws {
        let clock = FakeClock(nowMs: 0)
        let plugin = HeartbeatPlugin(interval: .seconds(1), timeout: .milliseconds(500), fallbackTick: .milliseconds(100))
        let runtime = try heartbeatRouter(log: Collected(), closes: Collected())
            .build(plugins: HeartbeatPlugins(heartbeat: plugin), clock: clock)
        let quiet = TickerlessTransport()
        let busy = TickerlessTransport()
        let quietConnection = runtime.open(quiet, data: ())
        let busyConnection = runtime.open(busy, data: ())
        #expect(clock.pendingTimerCount == 1, "one timer for all connections")
        while clock.nowMs < 2_000, clock.fireNext() {
            busyConnection.notePeerActivity()
        }
        #expect(quiet.pings == 1)
        #expect(quiet.serverClose == ServerClose(code: 4000, reason: "HEARTBEAT_TIMEOUT"))
        #expect(busy.pings == 0)
        #expect(busy.serverClose == nil)
        #expect(clock.pendingTimerCount == 1)
        quietConnection.didClose(code: 1006, reason: "")
        busyConnection.didClose(code: 1000, reason: "")
    }
}
