/// Plain TCP over BSD sockets: each connection runs on its own I/O thread, which waits in `poll(2)`
/// on the socket and a wake-up pipe. Portable to Linux, macOS and iOS (no epoll or kqueue).
///
/// A secure endpoint (`wss://`) is handed to a default `TLSTransport` (system trust store) where
/// OpenSSL is available; elsewhere it ends at once with `.connectFailed(.unsupported)`.
public struct POSIXTransport: ClientTransport {
    /// The size of the connection's read buffer, in bytes.
    public var readBufferSize: Int

    /// Creates the transport.
    public init(readBufferSize: Int = 64 * 1024) {
        self.readBufferSize = max(1024, readBufferSize)
    }

    /// Starts the connection's I/O thread.
    public func open(_ endpoint: ClientEndpoint, connectTimeout: Duration, handler: any ClientStreamHandler) -> any ClientStream {
        #if canImport(WSKitTLS)
        if endpoint.secure { return TLSTransport(base: self).open(endpoint, connectTimeout: connectTimeout, handler: handler) }
        #endif
        let stream = POSIXStream(readBufferSize: readBufferSize)
        stream.start(endpoint, connectTimeout: connectTimeout, handler: handler)
        return stream
    }
}
