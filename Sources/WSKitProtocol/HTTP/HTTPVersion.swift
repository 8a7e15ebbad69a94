/// An HTTP version from a request or status line, `HTTP/<major>.<minor>` (RFC 9112 §2.3).
public struct HTTPVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The major version digit.
    public var major: Int
    /// The minor version digit.
    public var minor: Int

    /// Creates a version.
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// HTTP/1.0.
    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    /// HTTP/1.1, the version WebSocket requires (RFC 6455 §4.1).
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    /// Orders by major, then minor.
    public static func < (lhs: HTTPVersion, rhs: HTTPVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    /// For example `HTTP/1.1`.
    public var description: String { "HTTP/\(major).\(minor)" }
}
