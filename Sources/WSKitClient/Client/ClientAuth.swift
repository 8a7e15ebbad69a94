/// How `WebSocketClient` authenticates: a token provider called before every connection attempt
/// (so a refreshed token is used on each reconnect), and where the token goes.
///
/// Browsers cannot set headers on a WebSocket upgrade, so servers commonly read the token from the
/// query string or from `Sec-WebSocket-Protocol`; WSKit's server-side helper reads either.
public struct ClientAuth: Sendable {
    /// Where the token is placed in the upgrade request.
    public enum Placement: Sendable, Hashable {
        /// As a query parameter, replacing any existing one of that name (default
        /// `access_token`): `ws://host/ws?access_token=<token>`.
        case query(name: String)
        /// As an offered subprotocol `<prefix><token>` (default `bearer.<token>`), appended to or
        /// prepended before the configured subprotocols. The entry must be an HTTP token (JWTs
        /// and base64url are; padding `=` and `/` are not), otherwise the attempt fails.
        case subprotocol(prefix: String, position: Position)

        /// `access_token` query parameter.
        public static var query: Placement { .query(name: "access_token") }
        /// `bearer.<token>` subprotocol, appended.
        public static var bearerSubprotocol: Placement { .subprotocol(prefix: "bearer.", position: .append) }
    }

    /// Where a subprotocol entry goes among the configured subprotocols.
    public enum Position: Sendable, Hashable {
        /// After the configured subprotocols.
        case append
        /// Before them.
        case prepend
    }

    /// Returns the current token, or nil to connect without one. Called before every attempt;
    /// an error fails that attempt (which is retried like any other failure).
    public var token: @Sendable () async throws -> String?
    /// Where the token goes.
    public var placement: Placement

    /// Creates auth options.
    public init(placement: Placement = .query, token: @escaping @Sendable () async throws -> String?) {
        self.placement = placement
        self.token = token
    }
}
