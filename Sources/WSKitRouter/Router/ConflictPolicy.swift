/// What ``Router/merge(_:onConflict:)`` does when both routers handle the same message type.
public enum ConflictPolicy: Sendable, Hashable {
    /// Throw ``RouterBuildError`` and merge nothing (the default).
    case error
    /// Keep the existing route, ignore the incoming one.
    case skip
    /// Replace the existing route with the incoming one.
    case replace
}
