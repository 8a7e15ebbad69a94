import CWSKitShims
import Glibc

extension WebSocketServer {
    /// Whether the server speaks TLS (`configuration.tls` was set).
    public var isTLS: Bool { shared.tls.isEnabled }

    /// Reloads the TLS certificates and keys without a restart: builds a new context from
    /// `configuration` (or the current configuration, re-reading its PEM files — the usual
    /// SIGHUP after a certificate renewal) and hands it to connections accepted from now on.
    /// Open connections keep the context they started with; none is dropped.
    ///
    /// Throws `.tls` (and keeps serving the old certificates) if the files do not load or the
    /// key does not match; `.invalidConfiguration` if the server was not configured for TLS.
    public func reloadTLS(_ configuration: TLSServerConfiguration? = nil) throws(ServerError) {
        guard let configuration = configuration ?? shared.tls.configuration else {
            throw .invalidConfiguration("the server is not configured for TLS")
        }
        do {
            try shared.tls.install(configuration)
        } catch {
            throw .tls(error)
        }
        shared.logger(.notice, "TLS certificates reloaded", ["certificates": "\(configuration.certificates.count)"])
    }

    /// Calls `reloadTLS()` on every SIGHUP (the conventional "re-read your certificates"
    /// signal), from a thread of its own that lives as long as the process. A failed reload is
    /// logged and the current certificates stay.
    public func reloadTLSOnHangup() throws(ServerError) {
        let signals = cwskit_hangup_signal_fd()
        guard signals >= 0 else { throw .system("eventfd", errno) }
        _ = try LoopThread { [self] in
            while true {
                _ = cwskit_wait_readable(signals, -1)
                cwskit_eventfd_drain(signals)
                do {
                    try reloadTLS()
                } catch {
                    shared.logger(.error, "TLS reload failed, keeping the current certificates: \(error)")
                }
            }
        }
    }
}
