import Logging
import WSKitServer

/// WSKit's ``ServerLogger`` writing to a swift-log `Logger`: levels map one to one, the record's
/// metadata (connection id, peer, close code, …) becomes swift-log metadata, and records below
/// the logger's level are never built.
///
/// ```swift
/// configuration.logger = SwiftLogServerLogger(Logger(label: "wskit"))
/// ```
public struct SwiftLogServerLogger: ServerLogger {
    /// The swift-log logger records go to.
    public let logger: Logger

    /// Logs to `logger`.
    public init(_ logger: Logger) {
        self.logger = logger
    }

    public var minimumLevel: WSKitServer.LogLevel { Self.wskitLevel(logger.logLevel) }

    public func log(_ level: WSKitServer.LogLevel, _ message: String, metadata: [String: String]) {
        var converted = Logger.Metadata()
        for (key, value) in metadata { converted[key] = .string(value) }
        logger.log(level: Self.swiftLogLevel(level), "\(message)", metadata: converted)
    }

    /// swift-log's level for a WSKit level.
    public static func swiftLogLevel(_ level: WSKitServer.LogLevel) -> Logger.Level {
        switch level {
        case .trace: .trace
        case .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        case .critical: .critical
        }
    }

    /// WSKit's level for a swift-log level.
    public static func wskitLevel(_ level: Logger.Level) -> WSKitServer.LogLevel {
        switch level {
        case .trace: .trace
        case .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        case .critical: .critical
        }
    }
}
