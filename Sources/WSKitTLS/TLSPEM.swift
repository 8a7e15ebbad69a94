import COpenSSL

/// PEM data: a file to read, or the bytes themselves.
public struct TLSPEM: Sendable, Hashable {
    /// The file to read, when the PEM is in a file.
    public let path: String?
    /// The PEM bytes, when they are in memory.
    public let bytes: [UInt8]?

    /// A PEM file, read each time a context is built (so a reload picks up a replaced file).
    public static func file(_ path: String) -> TLSPEM { TLSPEM(path: path, bytes: nil) }

    /// PEM bytes in memory.
    public static func bytes(_ bytes: [UInt8]) -> TLSPEM { TLSPEM(path: nil, bytes: bytes) }

    /// PEM text in memory.
    public static func string(_ text: String) -> TLSPEM { .bytes(Array(text.utf8)) }

    /// Calls `body` with a read BIO over the PEM data; fails with `.configuration` if it cannot
    /// be opened.
    func withBIO<R>(_ what: String, _ body: (OpaquePointer) throws(TLSError) -> R) throws(TLSError) -> R {
        if let path {
            guard let bio = BIO_new_file(path, "r") else {
                throw .configuration("cannot read \(what) file \(path): \(OpenSSLErrors.drain())")
            }
            defer { BIO_free(bio) }
            return try body(bio)
        }
        // BIO_new_mem_buf does not copy: the BIO lives only inside `withUnsafeBytes`.
        let result: Result<R, TLSError> = (bytes ?? []).withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else {
                return .failure(.configuration("cannot open \(what)"))
            }
            defer { BIO_free(bio) }
            do throws(TLSError) { return .success(try body(bio)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}

/// A certificate chain (leaf first, then intermediates) and its private key.
public struct TLSCertificate: Sendable, Hashable {
    /// The PEM certificate chain.
    public var chain: TLSPEM
    /// The PEM private key.
    public var privateKey: TLSPEM

    /// A chain and key in PEM form.
    public init(chain: TLSPEM, privateKey: TLSPEM) {
        self.chain = chain
        self.privateKey = privateKey
    }

    /// A chain and key from PEM files.
    public static func files(chain: String, privateKey: String) -> TLSCertificate {
        TLSCertificate(chain: .file(chain), privateKey: .file(privateKey))
    }

    /// Installs the chain and key into `context`.
    func install(into context: OpaquePointer) throws(TLSError) {
        try chain.withBIO("certificate chain") { (bio) throws(TLSError) in
            guard wskit_ssl_ctx_use_chain(context, bio) == 1 else {
                throw .configuration("invalid certificate chain: \(OpenSSLErrors.drain())")
            }
        }
        try privateKey.withBIO("private key") { (bio) throws(TLSError) in
            guard wskit_ssl_ctx_use_key(context, bio) == 1 else {
                throw .configuration("invalid private key (or it does not match the certificate): \(OpenSSLErrors.drain())")
            }
        }
    }
}
