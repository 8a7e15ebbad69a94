import COpenSSL

/// What server and client contexts share: creation with WSKit's settings (ADR 0080).
enum TLSContextOptions {
    /// A new SSL_CTX for a server or a client, configured by `wskit_ssl_ctx_configure`.
    static func make(server: Bool, minimumVersion: TLSVersion, tickets: Bool) throws(TLSError) -> OpaquePointer {
        OpenSSLErrors.clear()
        guard let context = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method()) else {
            throw .configuration("SSL_CTX_new: \(OpenSSLErrors.drain())")
        }
        guard wskit_ssl_ctx_configure(context, server ? 1 : 0, minimumVersion.openSSLValue, tickets ? 1 : 0) == 1 else {
            SSL_CTX_free(context)
            throw .configuration("cannot set the minimum version: \(OpenSSLErrors.drain())")
        }
        return context
    }

    /// The process's BIO method for `wskit_tls_io` (created once).
    nonisolated(unsafe) static let bioMethod: OpaquePointer = {
        guard let method = wskit_tls_bio_method_new() else { fatalError("BIO_meth_new failed: out of memory") }
        return method
    }()
}
