/// Whether outgoing messages are validated after encoding.
///
/// Validating what the server sends catches handlers that build values their own schema forbids
/// (a `@Length(1...80)` title set to 200 characters) before a client sees them. It costs a second
/// pass, so the default is on in debug builds and off in release builds.
public enum OutboundValidation: Sendable, Hashable {
    /// Always validate outgoing messages.
    case enabled
    /// Never validate outgoing messages.
    case disabled

    /// `.enabled` in debug builds (`DEBUG` defined), `.disabled` otherwise.
    public static var `default`: OutboundValidation {
        #if DEBUG
        .enabled
        #else
        .disabled
        #endif
    }

    /// Whether validation runs.
    @inlinable public var isEnabled: Bool { self == .enabled }
}
