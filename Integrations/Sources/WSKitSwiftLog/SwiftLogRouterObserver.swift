import Logging
import WSKitRouter

/// A ``RouterObserver`` that logs every error the router reports to a swift-log `Logger`, with
/// structured metadata: `phase`, `clientId`, `messageType`, `correlationId`, `code` (see
/// `RouterErrorEvent.logMetadata`).
///
/// ```swift
/// let runtime = try router.build(plugins: …, observers: [SwiftLogRouterObserver(logger)])
/// ```
public struct SwiftLogRouterObserver: RouterObserver {
    /// Where records go.
    public let logger: Logger
    /// The level of error records (default `.warning`).
    public let level: Logger.Level

    /// Logs router errors to `logger` at `level`.
    public init(_ logger: Logger, level: Logger.Level = .warning) {
        self.logger = logger
        self.level = level
    }

    public func routerDidReport(_ event: RouterErrorEvent) {
        guard logger.logLevel <= level else { return }
        var metadata = Logger.Metadata()
        for (key, value) in event.logMetadata { metadata[key] = .string(value) }
        logger.log(level: level, "\(event.error)", metadata: metadata)
    }
}
