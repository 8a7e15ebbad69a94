import WSKitContract

/// Retrying requests the server says may be retried.
extension WebSocketClient {
    /// Sends a request, retrying it per `retry` (see `RetryPolicy`): after a retryable server error
    /// (waiting `retryAfterMs` when given, else a jittered backoff), and optionally after a
    /// timeout or a lost connection. Each attempt is a new request with a new correlation id.
    /// Throws the last error when the retries are exhausted or the error is not retryable.
    public func request<R: RPC>(
        _ rpc: R.Type, _ payload: R.Payload, retry: RetryPolicy, timeout: Duration? = nil, meta: JSONObject = [:]
    ) async throws(WebSocketClientError) -> R.Response {
        var attempt = 1
        while true {
            do {
                return try await request(R.self, payload, timeout: timeout, meta: meta)
            } catch {
                guard let delay = retry.delay(after: error, retry: attempt, unit: configuration.random()) else {
                    throw error
                }
                do {
                    try await configuration.clock.sleep(for: delay)
                } catch {
                    throw .cancelled
                }
                attempt += 1
            }
        }
    }
}
