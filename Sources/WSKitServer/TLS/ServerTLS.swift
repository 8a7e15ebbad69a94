import Synchronization
@_exported import WSKitTLS

/// The server's current TLS context, or none for plain TCP. Every accepted connection takes the
/// context current at that moment; a reload swaps in a new one for later connections, while open
/// connections keep theirs (each session holds its context alive) — no connection is dropped.
final class ServerTLS: Sendable {
    private let current = Mutex<TLSServerContext?>(nil)

    /// Whether connections speak TLS.
    var isEnabled: Bool { current.withLock { $0 != nil } }

    /// Builds the context for `configuration` (reading its files now) and makes it current.
    /// On failure the current context stays.
    func install(_ configuration: TLSServerConfiguration) throws(TLSError) {
        let context = try TLSServerContext(configuration: configuration)
        current.withLock { $0 = context }
    }

    /// The configuration of the current context.
    var configuration: TLSServerConfiguration? { current.withLock { $0?.configuration } }

    /// A session for a new connection, nil when TLS is off.
    func makeSession() throws(TLSError) -> TLSSession? {
        guard let context = current.withLock({ $0 }) else { return nil }
        return try context.makeSession()
    }
}
