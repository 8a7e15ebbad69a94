import WSKitContract

/// Acknowledged calls: Socka's "empty output" shape (docs/exports.md, "Fire-and-forget and
/// acknowledged calls").
///
/// WSKit has three call shapes. A ``Message`` is fire-and-forget: ``send(_:_:meta:)`` returns once
/// the frame is written or queued, and a failure on the server (an uncorrelated `ERROR`) reaches
/// ``onError(_:)`` and ``issues()`` as ``ClientIssue/serverError(_:)``. An ``RPC`` whose
/// `Response` is ``Empty`` is acknowledged: ``sendAcknowledged(_:_:timeout:meta:)`` returns when
/// the server has handled it (its empty reply) and throws the server's error otherwise. Any other
/// RPC has output: ``request(_:_:timeout:meta:progress:)``.
extension WebSocketClient {
    /// Sends an acknowledged message (an RPC whose response is ``Empty``) and returns once the
    /// server acknowledged it: its handler ran and replied.
    ///
    /// Throws like ``request(_:_:timeout:meta:progress:)``: `.server` with the server's
    /// `RPC_ERROR`, `.timeout`, `.connectionClosed` (the server may or may not have handled
    /// it), `.cancelled`, `.validation`, or a state error.
    public func sendAcknowledged<R: RPC>(
        _ rpc: R.Type, _ payload: R.Payload, timeout: Duration? = nil, meta: JSONObject = [:]
    ) async throws(WebSocketClientError) where R.Response == Empty {
        _ = try await request(R.self, payload, timeout: timeout, meta: meta)
    }

    /// Sends an acknowledged message without payload; returns once the server acknowledged it.
    public func sendAcknowledged<R: RPC>(
        _ rpc: R.Type, timeout: Duration? = nil, meta: JSONObject = [:]
    ) async throws(WebSocketClientError) where R.Response == Empty, R.Payload == Empty {
        _ = try await request(R.self, Empty(), timeout: timeout, meta: meta)
    }
}
