/// Chooses the bucket a message is counted in.
///
/// | key | format | counts |
/// | --- | --- | --- |
/// | ``perUserPerType`` (default) | `rl:<tenant>:u:<user>:<type>` | each user's messages of each type |
/// | ``perUser`` | `rl:<tenant>:u:<user>` | all of a user's messages |
/// | ``perConnectionPerType`` | `rl:public:c:<clientId>:<type>` | each connection's messages of each type |
/// | ``perConnection`` | `rl:public:c:<clientId>` | all of a connection's messages |
/// | ``custom(_:)`` | yours | anything: an IP, a room, a payload field |
///
/// `<tenant>` is `public` without a tenant; a message from a connection without a user is counted
/// under its connection (`c:<clientId>`), never under a bucket shared by all anonymous clients.
/// `:` and `%` inside user and tenant ids are escaped (`%3A`, `%25`), so ids cannot forge keys.
/// The limiter's ``RateLimitPolicy/prefix`` is prepended to every key.
public struct RateLimitKey<ConnectionData: Sendable>: Sendable {
    /// Computes the key.
    public let make: @Sendable (RateLimitRequest<ConnectionData>) -> String

    /// A key from a function.
    public init(_ make: @escaping @Sendable (RateLimitRequest<ConnectionData>) -> String) {
        self.make = make
    }

    /// A key from a function of the request: an IP address, a room, a payload field.
    public static func custom(_ make: @escaping @Sendable (RateLimitRequest<ConnectionData>) -> String) -> Self {
        Self(make)
    }

    /// Per user and message type, the user (and tenant) read by the given functions; a `nil` user
    /// is the connection.
    public static func perUserPerType(
        user: @escaping @Sendable (ConnectionData) -> String?,
        tenant: (@Sendable (ConnectionData) -> String?)? = nil
    ) -> Self {
        Self { request in
            subject(request, user: user(request.data), tenant: tenant?(request.data)) + ":" + request.type
        }
    }

    /// Per user (all message types together); a `nil` user is the connection.
    public static func perUser(
        user: @escaping @Sendable (ConnectionData) -> String?,
        tenant: (@Sendable (ConnectionData) -> String?)? = nil
    ) -> Self {
        Self { request in subject(request, user: user(request.data), tenant: tenant?(request.data)) }
    }

    /// Per connection and message type.
    public static var perConnectionPerType: Self {
        Self { request in "rl:public:c:" + request.clientId + ":" + request.type }
    }

    /// Per connection (all message types together).
    public static var perConnection: Self {
        Self { request in "rl:public:c:" + request.clientId }
    }

    /// Per user and message type when the connection data is ``RateLimitIdentifiable``, per
    /// connection and message type otherwise: the default.
    public static var perUserPerType: Self {
        guard let identifiable = ConnectionData.self as? any RateLimitIdentifiable.Type else { return perConnectionPerType }
        return identified(identifiable, perType: true)
    }

    /// Per user when the connection data is ``RateLimitIdentifiable``, per connection otherwise.
    public static var perUser: Self {
        guard let identifiable = ConnectionData.self as? any RateLimitIdentifiable.Type else { return perConnection }
        return identified(identifiable, perType: false)
    }

    private static func identified<Identified: RateLimitIdentifiable>(_: Identified.Type, perType: Bool) -> Self {
        Self { request in
            // `Identified` is `ConnectionData` (checked above): the cast only compares metadata.
            let data = request.data as? Identified
            let base = subject(request, user: data?.rateLimitUserId, tenant: data?.rateLimitTenantId)
            return perType ? base + ":" + request.type : base
        }
    }

    private static func subject(_ request: RateLimitRequest<ConnectionData>, user: String?, tenant: String?) -> String {
        let tenantPart = tenant.map(escape) ?? "public"
        guard let user else { return "rl:" + tenantPart + ":c:" + request.clientId }
        return "rl:" + tenantPart + ":u:" + escape(user)
    }

    private static func escape(_ id: String) -> String {
        guard id.utf8.contains(where: { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "%") }) else { return id }
        return id.replacingAll("%", with: "%25").replacingAll(":", with: "%3A")
    }
}

extension String {
    /// Every occurrence of a one-character `target` replaced (no Foundation).
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        result.reserveCapacity(utf8.count)
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
