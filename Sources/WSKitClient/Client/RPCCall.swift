import WSKitContract

/// A request in flight: its progress updates as an `AsyncSequence` and its result.
///
/// Created by `WebSocketClient.call(_:_:timeout:meta:)`. Cancelling the task that awaits
/// `result()` (or calling `cancel()`) ends the request with `.cancelled` and sends the server
/// `$ws:abort` with its correlation id.
///
/// ```swift
/// let call = try client.call(Export.self, .init(range: "2024"))
/// for await step in call.progress { print(step.percent) }
/// let file = try await call.result()
/// ```
public final class RPCCall<R: RPC>: Sendable {
    /// The request's `meta.correlationId`.
    public let correlationId: String
    let completion: OneShot<Result<Envelope, WebSocketClientError>>
    private let updates: AsyncStream<JSONValue?>
    private let cancelAction: @Sendable () -> Void

    init(correlationId: String, completion: OneShot<Result<Envelope, WebSocketClientError>>,
         updates: AsyncStream<JSONValue?>, cancel: @escaping @Sendable () -> Void) {
        self.correlationId = correlationId
        self.completion = completion
        self.updates = updates
        cancelAction = cancel
    }

    /// The `$ws:rpc-progress` updates, validated as `R.Response`s (invalid ones are
    /// skipped), ending when the request ends. Iterate it from one task only.
    public var progress: ProgressUpdates<RPCResponse<R>> { ProgressUpdates(updates) }

    /// Waits for the reply and returns its validated payload.
    public func result() async throws(WebSocketClientError) -> R.Response {
        try await response().payload
    }

    /// Waits for the reply and returns it with its meta.
    public func response() async throws(WebSocketClientError) -> Received<RPCResponse<R>> {
        let outcome = await completion.value(onCancel: cancelAction)
        let envelope = try outcome.get()
        return try Self.decode(envelope)
    }

    /// Ends the request with `.cancelled` and sends `$ws:abort` if it was already sent.
    public func cancel() {
        cancelAction()
    }

    static func decode(_ envelope: Envelope) throws(WebSocketClientError) -> Received<RPCResponse<R>> {
        guard envelope.type == R.responseType else {
            throw .validation(ValidationFailure(
                path: JSONPath([.key("type")]),
                message: "expected \(R.responseType), received \(envelope.type)",
                code: ValidationIssue.Code.invalidLiteral))
        }
        switch RPCResponse<R>.decodePayload(envelope.payload) {
        case .success(let payload): return Received(payload: payload, meta: envelope.meta)
        case .failure(let failure): throw .validation(failure)
        }
    }
}

/// The progress updates of a request, validated as payloads of `M` (invalid updates are skipped).
public struct ProgressUpdates<M: Message>: AsyncSequence, Sendable {
    /// A progress payload.
    public typealias Element = M.Payload

    private let updates: AsyncStream<JSONValue?>

    init(_ updates: AsyncStream<JSONValue?>) { self.updates = updates }

    /// Creates the iterator.
    public func makeAsyncIterator() -> Iterator { Iterator(updates.makeAsyncIterator()) }

    /// Iterates the updates.
    public struct Iterator: AsyncIteratorProtocol {
        private var base: AsyncStream<JSONValue?>.Iterator

        init(_ base: AsyncStream<JSONValue?>.Iterator) { self.base = base }

        /// The next valid update, or nil when the request has ended.
        public mutating func next() async -> M.Payload? {
            while let raw = await base.next() {
                if case .success(let payload) = M.decodePayload(raw) { return payload }
            }
            return nil
        }
    }
}
