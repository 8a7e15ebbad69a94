/// The RESP version a connection speaks.
public enum RedisProtocolVersion: Int, Sendable, Hashable {
    /// RESP2: every server; replies are strings, integers, arrays, errors and null.
    case resp2 = 2
    /// RESP3 (Redis 6+): adds maps, sets, doubles, booleans, push messages and more.
    case resp3 = 3
}
