/// Severity of a log record, in the order of swift-log's levels.
public enum LogLevel: Int, Sendable, Comparable, CustomStringConvertible {
    case trace, debug, info, notice, warning, error, critical

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .trace: "trace"
        case .debug: "debug"
        case .info: "info"
        case .notice: "notice"
        case .warning: "warning"
        case .error: "error"
        case .critical: "critical"
        }
    }
}

/// Where WSKit's server writes its log records.
///
/// Library code never prints. An application bridges this protocol to swift-log (or anything
/// else) with a few lines; `StandardErrorLogger` is provided for examples and `NoLogger` for
/// silence.
public protocol ServerLogger: Sendable {
    /// Records below this level are not built at all.
    var minimumLevel: LogLevel { get }
    /// Writes one record. `metadata` holds key-value context such as a connection id.
    func log(_ level: LogLevel, _ message: String, metadata: [String: String])
}

extension ServerLogger {
    /// Logs lazily: `message` is only evaluated when `level` passes `minimumLevel`.
    @inlinable
    public func callAsFunction(_ level: LogLevel, _ message: @autoclosure () -> String, _ metadata: [String: String] = [:]) {
        if level >= minimumLevel { log(level, message(), metadata: metadata) }
    }
}

/// A logger that drops every record.
public struct NoLogger: ServerLogger {
    public init() {}
    public var minimumLevel: LogLevel { .critical }
    public func log(_ level: LogLevel, _ message: String, metadata: [String: String]) {}
}
