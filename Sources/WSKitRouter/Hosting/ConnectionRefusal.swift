/// Thrown from an `onOpen` hook to refuse a connection: the router closes it with ``code`` and
/// ``reason`` and runs no `onClose` hook for it.
///
/// ```swift
/// router.onOpen { ctx in
///     guard ctx.data.userId != nil else { throw ConnectionRefusal(code: 4401, reason: "Unauthenticated") }
/// }
/// ```
/// Any other error thrown from `onOpen` is reported to `onError` and closes with 1011.
public struct ConnectionRefusal: Error, Sendable, Hashable {
    /// The WebSocket close code (an application code in 4000–4999, or 1008 for a policy violation).
    public var code: UInt16
    /// The close reason (at most 123 bytes of UTF-8 on the wire; the host truncates).
    public var reason: String

    /// Creates a refusal.
    public init(code: UInt16, reason: String = "") {
        self.code = code
        self.reason = reason
    }
}
