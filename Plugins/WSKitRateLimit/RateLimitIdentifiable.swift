/// Connection data that names the user (and optionally the tenant) rate limits are counted for,
/// so that the default keys (``RateLimitKey/perUserPerType``, ``RateLimitKey/perUser``) limit
/// users rather than connections.
///
/// ```swift
/// struct Session: Sendable, RateLimitIdentifiable {
///     var userId: String?
///     var rateLimitUserId: String? { userId }
/// }
/// ```
/// Without a user (`nil`, or data that does not conform), the connection is its own anonymous
/// user: anonymous clients never share one bucket (WS-Kit's shared `"anon"` bucket lets one
/// anonymous client starve all others).
public protocol RateLimitIdentifiable: Sendable {
    /// The authenticated user, or `nil` for an anonymous connection.
    var rateLimitUserId: String? { get }
    /// The tenant, or `nil` (keys then say `public`).
    var rateLimitTenantId: String? { get }
}

extension RateLimitIdentifiable {
    /// No tenant.
    public var rateLimitTenantId: String? { nil }
}
