import Testing
import WSKitContract
@testable import WSKitClient

@Suite("Retry policy: retryable codes and retryAfterMs")
struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(100), maxDelay: .seconds(5))

    @Test("retryable codes retry after retryAfterMs, or the backoff")
    func retryable() {
        let withHint = WebSocketClientError.server(WireError(code: .unavailable, retryAfterMs: 250))
        #expect(policy.delay(after: withHint, retry: 1, unit: 0.5) == .milliseconds(250))
        var noHint = WireError(code: .aborted)
        noHint.retryAfterMs = nil
        #expect(policy.delay(after: .server(noHint), retry: 2, unit: 0.5) == .milliseconds(100))
        #expect(policy.delay(after: withHint, retry: 3, unit: 0.5) == nil, "three attempts in all")
    }

    @Test("non-retryable codes, retryAfterMs null and over-long hints stop")
    func notRetryable() {
        #expect(policy.delay(after: .server(WireError(code: .notFound)), retry: 1, unit: 0) == nil)
        #expect(policy.delay(after: .server(WireError(code: .unavailable, retryImpossible: true)), retry: 1, unit: 0) == nil)
        #expect(policy.delay(after: .server(WireError(code: .internal)), retry: 1, unit: 0) == nil)
        #expect(policy.delay(after: .server(WireError(code: .internal, retryable: true)), retry: 1, unit: 0) != nil)
        #expect(policy.delay(after: .server(WireError(code: .unavailable, retryAfterMs: 120_000)), retry: 1, unit: 0) == nil)
        #expect(policy.delay(after: .cancelled, retry: 1, unit: 0) == nil)
    }

    @Test("timeouts and lost connections only when enabled")
    func optIn() {
        let info = WebSocketCloseInfo(cause: .connectionLost, wasOpen: true)
        #expect(policy.delay(after: .timeout(.seconds(1)), retry: 1, unit: 1) == nil)
        #expect(policy.delay(after: .connectionClosed(info), retry: 1, unit: 1) == nil)
        let eager = RetryPolicy(retriesTimeouts: true, retriesConnectionLoss: true)
        #expect(eager.delay(after: .timeout(.seconds(1)), retry: 1, unit: 1) == .milliseconds(100))
        #expect(eager.delay(after: .connectionClosed(info), retry: 1, unit: 1) == .milliseconds(100))
    }
}
