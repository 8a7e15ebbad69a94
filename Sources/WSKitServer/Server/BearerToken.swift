/// A bearer token found in an upgrade request, and where it was found.
public struct BearerToken: Sendable, Hashable {
    /// Where the client put the token.
    public enum Source: Sendable, Hashable {
        /// A query parameter (`?access_token=…`).
        case query(String)
        /// A `Sec-WebSocket-Protocol` entry (`bearer.<token>`); the server must select that entry
        /// in its 101 response, or browsers fail the handshake.
        case subprotocol(String)
    }

    /// The token.
    public let value: String
    /// Where it came from.
    public let source: Source

    /// The subprotocol to select when accepting (the offered `bearer.` entry), if the token came
    /// in `Sec-WebSocket-Protocol`.
    public var subprotocolToSelect: String? {
        if case let .subprotocol(entry) = source { return entry }
        return nil
    }
}

extension IncomingUpgrade {
    /// Reads a bearer token the way WSKit's clients send it: the query parameter `queryParameter`
    /// (default `access_token`), or a `Sec-WebSocket-Protocol` entry starting with
    /// `subprotocolPrefix` (default `bearer.`). The query wins when both are present.
    ///
    /// ```swift
    /// upgrade: { request in
    ///     guard let token = request.bearerToken(), let user = verify(token.value) else {
    ///         return .refuse(.unauthorized("invalid token"))
    ///     }
    ///     return .accept(Session(user: user), subprotocol: token.subprotocolToSelect)
    /// }
    /// ```
    public func bearerToken(queryParameter: String = "access_token", subprotocolPrefix: String = "bearer.") -> BearerToken? {
        if let value = head.queryValue(queryParameter), !value.isEmpty {
            return BearerToken(value: value, source: .query(queryParameter))
        }
        for entry in handshake.subprotocols where entry.hasPrefix(subprotocolPrefix) && entry.count > subprotocolPrefix.count {
            return BearerToken(value: String(entry.dropFirst(subprotocolPrefix.count)), source: .subprotocol(entry))
        }
        return nil
    }
}
