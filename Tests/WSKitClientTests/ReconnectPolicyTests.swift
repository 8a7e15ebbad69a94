import Testing
import WSKitProtocol
@testable import WSKitClient

@Suite("Reconnect policy: backoff and close-code rules")
struct ReconnectPolicyTests {
    @Test("the delay bound doubles from initialDelay and is capped at maxDelay")
    func exponentialBound() {
        let policy = ReconnectPolicy(initialDelay: .milliseconds(300), maxDelay: .seconds(10))
        let bounds = (1 ... 8).map { policy.delayBound(forAttempt: $0) }
        #expect(bounds == [
            .milliseconds(300), .milliseconds(600), .milliseconds(1200), .milliseconds(2400),
            .milliseconds(4800), .milliseconds(9600), .seconds(10), .seconds(10),
        ])
        #expect(policy.delayBound(forAttempt: 10_000) == .seconds(10))
    }

    @Test("full jitter draws from 0…bound; no jitter waits the bound")
    func jitter() {
        let full = ReconnectPolicy(initialDelay: .seconds(1), maxDelay: .seconds(8))
        #expect(full.delay(forAttempt: 3, unit: 0) == .zero)
        #expect(full.delay(forAttempt: 3, unit: 0.5) == .seconds(2))
        #expect(full.delay(forAttempt: 3, unit: 0.999) <= .seconds(4))
        let none = ReconnectPolicy(initialDelay: .seconds(1), maxDelay: .seconds(8), jitter: .none)
        #expect(none.delay(forAttempt: 3, unit: 0.1) == .seconds(4))
    }

    @Test("auth refusals are terminal: close 1008/4401/4403 and HTTP 401/403")
    func terminalCloses() {
        let policy = ReconnectPolicy()
        func server(_ code: UInt16) -> WebSocketCloseInfo {
            WebSocketCloseInfo(cause: .serverClosed, code: WebSocketCloseCode(code), wasOpen: true)
        }
        func http(_ code: Int) -> WebSocketCloseInfo {
            WebSocketCloseInfo(cause: .handshakeFailed(.unexpectedStatus(HTTPStatus(code: code))), wasOpen: false)
        }
        for code: UInt16 in [1008, 4401, 4403] { #expect(!policy.allowsReconnect(after: server(code))) }
        for code: UInt16 in [1000, 1001, 1011, 1012, 1013, 4000] { #expect(policy.allowsReconnect(after: server(code))) }
        #expect(!policy.allowsReconnect(after: http(401)))
        #expect(!policy.allowsReconnect(after: http(403)))
        #expect(policy.allowsReconnect(after: http(503)))
        #expect(policy.allowsReconnect(after: WebSocketCloseInfo(cause: .heartbeatTimeout, wasOpen: true)))
        #expect(policy.allowsReconnect(after: WebSocketCloseInfo(cause: .transport(.connect(errno: 111)), wasOpen: false)))
    }

    @Test("a custom decision replaces the sets")
    func custom() {
        let policy = ReconnectPolicy(shouldReconnect: { $0.code.rawValue != 4000 })
        #expect(policy.allowsReconnect(after: WebSocketCloseInfo(cause: .serverClosed, code: .policyViolation, wasOpen: true)))
        #expect(!policy.allowsReconnect(after: WebSocketCloseInfo(cause: .serverClosed, code: WebSocketCloseCode(4000), wasOpen: true)))
    }
}
