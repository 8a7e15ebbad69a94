/// A request message answered by exactly one reply carrying a ``Response`` payload (or an
/// `RPC_ERROR`), with zero or more `$ws:rpc-progress` frames before it that carry the same
/// payload shape.
///
/// ```swift
/// struct GetProfile: RPC {
///     struct Payload: Codable, Sendable { var userId: String }
///     struct Response: Codable, Sendable { var displayName: String }
///     static let type = "GET_PROFILE"          // the reply goes out as "GET_PROFILE_RESPONSE"
/// }
/// ```
/// The reply's wire type is ``responseType``: by default the request's type followed by
/// `_RESPONSE`; declare `static let responseType = "PROFILE"` to choose another (a type that
/// is also pushed as a message of its own, say). With `import WSKitValidation` (or `import WSKit`)
/// a `Codable` response gets its ``responseValidator`` for free, as payloads do; a response of
/// ``Empty`` carries no `payload` key.
///
/// Correlation uses `meta.correlationId`; see `docs/wire-protocol.md`.
public protocol RPC: Message {
    /// The reply's payload, also the shape of `$ws:rpc-progress` updates.
    associatedtype Response: Sendable
    /// The validator that turns the reply's wire payload into ``Response`` and back.
    associatedtype ResponseValidator: Validator<Response>

    /// The reply's `type` on the wire. Defaults to ``type`` + `"_RESPONSE"`.
    static var responseType: String { get }
    /// The reply payload's validator.
    static var responseValidator: ResponseValidator { get }
}

extension RPC {
    /// The request's type followed by `_RESPONSE` (`GET_PROFILE` → `GET_PROFILE_RESPONSE`).
    ///
    /// Computed on each use: the router reads it once per route, when the route is registered.
    public static var responseType: String { type + "_RESPONSE" }
}

extension RPC where Response == Empty {
    /// A response without payload carries no `payload` key.
    public static var responseValidator: EmptyValidator { EmptyValidator() }
}

/// The reply of an ``RPC`` as a ``Message`` of its own: type ``RPC/responseType``, payload
/// ``RPC/Response``. Clients, the test harness and the RPC plugin decode and encode replies
/// (and progress updates) through it.
public enum RPCResponse<Request: RPC>: Message {
    /// The request's ``RPC/Response``.
    public typealias Payload = Request.Response

    /// The request's ``RPC/responseType``.
    public static var type: String { Request.responseType }

    /// The request's ``RPC/responseValidator``.
    @inlinable public static var payloadValidator: Request.ResponseValidator { Request.responseValidator }
}
