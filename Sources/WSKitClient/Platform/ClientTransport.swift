import WSKitProtocol

/// The platform seam of the client: opens a byte stream to a server and runs it.
///
/// `POSIXTransport` (plain TCP over BSD sockets and `poll`, one I/O thread per connection) is the
/// default on every platform. A TLS transport for `wss://` implements the same protocol (OpenSSL on
/// Linux, Network.framework on Apple platforms) without touching the WebSocket code above it.
///
/// A transport calls its `ClientStreamHandler` from one I/O context, one call at a time: the
/// handler owns the protocol state and needs no locks for it. Whatever the handler appends to
/// `output` during a call is written after the call returns, so everything produced in one call
/// leaves in one write.
public protocol ClientTransport: Sendable {
    /// Starts connecting to `endpoint` and returns at once. The transport then calls `handler`
    /// until, exactly once, `streamClosed(_:)`.
    ///
    /// - Parameter connectTimeout: the longest the name lookup and TCP (and TLS) connect may take.
    func open(_ endpoint: ClientEndpoint, connectTimeout: Duration, handler: any ClientStreamHandler) -> any ClientStream
}

/// Where a transport connects.
public struct ClientEndpoint: Sendable, Hashable {
    /// A host name or an IP literal (IPv6 without brackets).
    public var host: String
    /// The TCP port.
    public var port: Int
    /// Whether the stream must be encrypted (`wss://`).
    public var secure: Bool

    /// Creates an endpoint.
    public init(host: String, port: Int, secure: Bool) {
        self.host = host
        self.port = port
        self.secure = secure
    }
}

/// The control side of an open stream; safe to use from any thread.
public protocol ClientStream: Sendable {
    /// Asks the transport to call `streamService(now:output:)` soon (the handler has new output).
    func wake()
    /// Closes the stream at once without flushing; the handler then gets `streamClosed(.aborted)`
    /// (unless the stream had already ended).
    func abort()
}

/// The protocol side of a stream, driven by a transport. Every call happens on the transport's
/// I/O context, never concurrently. `now` is monotonic time in nanoseconds.
public protocol ClientStreamHandler: AnyObject, Sendable {
    /// The connection is established: append the first bytes to send (the upgrade request).
    func streamConnected(now: UInt64, output: inout OutputBuffer) -> ClientStreamDirective
    /// Bytes arrived. The buffer is the transport's and is reused after the call; the handler may
    /// modify it in place (unmasking) but must copy what it keeps.
    func streamReceived(_ bytes: UnsafeMutableRawBufferPointer, now: UInt64, output: inout OutputBuffer) -> ClientStreamDirective
    /// `ClientStream.wake()` was called or `streamDeadline` passed.
    func streamService(now: UInt64, output: inout OutputBuffer) -> ClientStreamDirective
    /// The next monotonic time at which `streamService` must run, if any; read after every call.
    var streamDeadline: UInt64? { get }
    /// The stream ended; the last call the handler gets.
    func streamClosed(_ end: ClientStreamEnd)
}

/// What the handler wants the transport to do after a call.
public enum ClientStreamDirective: Sendable, Hashable {
    /// Keep going.
    case proceed
    /// Write what is pending, then wait for the peer to close (reading and discarding) until
    /// `deadline`, then close: the end of a WebSocket closing handshake, where the server closes
    /// TCP first (RFC 6455 §7.1.1).
    case finish(deadline: UInt64)
    /// Try once to write what is pending, then close now.
    case close
}

/// How a stream ended.
public enum ClientStreamEnd: Sendable, Hashable {
    /// The stream never opened.
    case connectFailed(TransportError)
    /// The handler asked to close (`.finish` or `.close`).
    case closed
    /// The peer closed the connection (end of stream) while the handler still wanted it.
    case peerClosed
    /// Reading or writing failed (for example a reset).
    case failed(TransportError)
    /// `ClientStream.abort()` was called.
    case aborted
}
