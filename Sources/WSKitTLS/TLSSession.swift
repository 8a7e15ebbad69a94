import COpenSSL
import Glibc

/// One TLS connection, sans I/O: the caller moves the bytes (ADR 0080).
///
/// Received ciphertext goes in through `receive`, which completes the handshake and hands out
/// the plaintext; plaintext to send goes in through `write`, and the records to put on the wire
/// (handshake messages, alerts, encrypted data) accumulate in the pending output until the
/// caller sends them (`withPendingOutput`, then `consumeOutput`). No socket, no thread, no clock:
/// the event loop keeps owning reads, writes, readiness and backpressure.
///
/// Not thread-safe: one session is used by one thread at a time (its connection's loop).
public final class TLSSession {
    /// Which side of the handshake this session plays.
    public enum Role: Sendable, Hashable {
        /// Accepting connections.
        case server
        /// Connecting to `host` (SNI and the certificate check use it).
        case client(host: String)
    }

    /// What `receive` ended with.
    public enum ReceiveOutcome: Sendable, Hashable {
        /// Every byte was consumed; more may come.
        case consumed
        /// The peer sent close_notify: it will send nothing more.
        case peerClosed
        /// `deliver` returned false; the rest of the input was not processed.
        case stopped
    }

    private let ssl: OpaquePointer
    private let io: UnsafeMutablePointer<wskit_tls_io>
    /// Keeps the context (and its callbacks' data) alive while this session exists.
    private let owner: AnyObject
    /// The role this session was created with.
    public let role: Role
    /// Whether the handshake has completed.
    public private(set) var isHandshakeComplete = false
    /// The error the session failed with; every later call fails with it too.
    public private(set) var failure: TLSError?
    private var shutdownSent = false

    init(context: OpaquePointer, owner: AnyObject, role: Role, alpn: [UInt8] = []) throws(TLSError) {
        OpenSSLErrors.clear()
        guard let ssl = SSL_new(context) else { throw .configuration("SSL_new: \(OpenSSLErrors.drain())") }
        guard let bio = BIO_new(TLSContextOptions.bioMethod) else {
            SSL_free(ssl)
            throw .configuration("BIO_new: \(OpenSSLErrors.drain())")
        }
        io = .allocate(capacity: 1)
        io.initialize(to: wskit_tls_io())
        BIO_set_data(bio, io)
        // One BIO for both directions: SSL_free releases it.
        SSL_set_bio(ssl, bio, bio)
        self.ssl = ssl
        self.owner = owner
        self.role = role
        switch role {
        case .server:
            SSL_set_accept_state(ssl)
        case .client(let host):
            SSL_set_connect_state(ssl)
            if Self.isIPAddress(host) {
                X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host)
            } else {
                _ = wskit_ssl_set_host_name(ssl, host)
                SSL_set1_host(ssl, host)
            }
            if !alpn.isEmpty { _ = alpn.withUnsafeBufferPointer { SSL_set_alpn_protos(ssl, $0.baseAddress, UInt32($0.count)) } }
        }
    }

    deinit {
        SSL_free(ssl)
        free(io.pointee.output)
        io.deallocate()
    }

    // MARK: Input

    /// Starts the handshake (a client's ClientHello goes to the pending output). A server need not
    /// call it: its handshake starts with the first `receive`.
    public func start() throws(TLSError) {
        if let failure { throw failure }
        guard !isHandshakeComplete else { return }
        try advanceHandshake()
    }

    /// Processes received ciphertext: advances the handshake, then decrypts application data
    /// into `plaintext` (any size; 16 KiB holds a full record) and calls `deliver` with each
    /// chunk, until the input is used up or `deliver` returns false.
    ///
    /// Records the handshake produces (and TLS 1.3 session tickets) are added to the pending
    /// output: send them after this call. Throws on a handshake or record failure; the pending
    /// output then may hold an alert worth sending before closing.
    public func receive(
        _ ciphertext: UnsafeRawBufferPointer,
        plaintext: UnsafeMutableRawBufferPointer,
        deliver: (UnsafeMutableRawBufferPointer) -> Bool
    ) throws(TLSError) -> ReceiveOutcome {
        if let failure { throw failure }
        io.pointee.input = ciphertext.baseAddress?.assumingMemoryBound(to: UInt8.self)
        io.pointee.input_len = ciphertext.count
        io.pointee.input_offset = 0
        defer {
            io.pointee.input = nil
            io.pointee.input_len = 0
            io.pointee.input_offset = 0
        }
        if !isHandshakeComplete {
            try advanceHandshake()
            if !isHandshakeComplete { return .consumed }
        }
        while true {
            var count = 0
            OpenSSLErrors.clear()
            if SSL_read_ex(ssl, plaintext.baseAddress, plaintext.count, &count) == 1 {
                if !deliver(UnsafeMutableRawBufferPointer(rebasing: plaintext[0 ..< count])) { return .stopped }
                continue
            }
            switch SSL_get_error(ssl, 0) {
            case SSL_ERROR_WANT_READ: return .consumed
            case SSL_ERROR_ZERO_RETURN: return .peerClosed
            default: throw fail()
            }
        }
    }

    private func advanceHandshake() throws(TLSError) {
        OpenSSLErrors.clear()
        let result = SSL_do_handshake(ssl)
        if result == 1 {
            isHandshakeComplete = true
            return
        }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE: return
        default: throw fail()
        }
    }

    // MARK: Output

    /// Encrypts `bytes` into the pending output (as many records as needed). Call it once per
    /// batch of output, not per frame: each call ends at least one record.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(TLSError) {
        if let failure { throw failure }
        guard isHandshakeComplete else { throw .protocolError("write before the handshake completed") }
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var written = 0
        OpenSSLErrors.clear()
        guard SSL_write_ex(ssl, base, bytes.count, &written) == 1, written == bytes.count else { throw fail() }
    }

    /// Queues close_notify (once); send the pending output, then close the socket.
    public func shutdown() {
        guard !shutdownSent, failure == nil, isHandshakeComplete else { return }
        shutdownSent = true
        OpenSSLErrors.clear()
        _ = SSL_shutdown(ssl)
        OpenSSLErrors.clear()
    }

    /// Bytes waiting to be sent.
    public var pendingOutputCount: Int { io.pointee.output_len - io.pointee.output_head }

    /// Whether bytes wait to be sent.
    public var hasPendingOutput: Bool { io.pointee.output_len != io.pointee.output_head }

    /// Calls `body` with the bytes waiting to be sent (valid only during the call).
    public func withPendingOutput<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard let output = io.pointee.output else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeRawBufferPointer(start: output + io.pointee.output_head, count: pendingOutputCount))
    }

    /// Marks the first `count` pending bytes as sent. Once everything is sent the buffer is freed,
    /// so an idle session holds no output storage.
    public func consumeOutput(_ count: Int) {
        precondition(count >= 0 && count <= pendingOutputCount, "consume beyond the pending output")
        wskit_tls_io_consume(io, count)
    }

    // MARK: What was negotiated

    /// The negotiated version, once the handshake is complete.
    public var protocolVersion: TLSVersion? {
        isHandshakeComplete ? TLSVersion(openSSLValue: wskit_ssl_get_version_number(ssl)) : nil
    }

    /// The ALPN protocol selected, if any.
    public var alpnProtocol: String? {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    /// The host name the client sent in SNI (server side), if any.
    public var serverName: String? {
        guard let name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name) else { return nil }
        return String(cString: name)
    }

    /// Whether the handshake resumed an earlier session (a ticket) instead of a full handshake.
    public var sessionReused: Bool { SSL_session_reused(ssl) == 1 }

    /// The subject of the certificate the peer presented (mutual TLS on the server), if any.
    public var peerCertificateSubject: String? {
        guard let certificate = SSL_get1_peer_certificate(ssl) else { return nil }
        defer { X509_free(certificate) }
        guard let name = X509_get_subject_name(certificate), let text = X509_NAME_oneline(name, nil, 0) else { return nil }
        defer { CRYPTO_free(text, #fileID, #line) }
        return String(cString: text)
    }

    // MARK: Errors

    /// Classifies the current OpenSSL failure, remembers it and empties the error queue.
    private func fail() -> TLSError {
        let error = classify()
        failure = error
        OpenSSLErrors.clear()
        return error
    }

    private func classify() -> TLSError {
        if io.pointee.output_failed != 0 { return .protocolError("out of memory for TLS output") }
        if case .client(let host) = role {
            let verify = Int32(SSL_get_verify_result(ssl))
            if verify != X509_V_OK {
                let message = String(cString: X509_verify_cert_error_string(Int(verify)))
                switch verify {
                case X509_V_ERR_CERT_HAS_EXPIRED, X509_V_ERR_CERT_NOT_YET_VALID: return .certificateExpired
                case X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH: return .hostnameMismatch(expected: host)
                case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
                     X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN,
                     X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, X509_V_ERR_CERT_UNTRUSTED:
                    return .untrustedCertificate(message)
                default: return .invalidCertificate(message)
                }
            }
        }
        let reason = wskit_err_peek_reason()
        let message = OpenSSLErrors.drain()
        switch reason {
        case SSL_R_HTTP_REQUEST, SSL_R_HTTPS_PROXY_REQUEST, SSL_R_WRONG_VERSION_NUMBER, SSL_R_PACKET_LENGTH_TOO_LONG,
             SSL_R_UNKNOWN_PROTOCOL, SSL_R_RECORD_LENGTH_MISMATCH:
            return isHandshakeComplete ? .protocolError(message) : .notTLS
        case SSL_R_UNSUPPORTED_PROTOCOL, SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
            return .unsupportedVersion
        default:
            return isHandshakeComplete ? .protocolError(message) : .handshakeFailed(message)
        }
    }

    private static func isIPAddress(_ host: String) -> Bool {
        var buffer = (UInt64(0), UInt64(0))
        return withUnsafeMutableBytes(of: &buffer) { raw in
            inet_pton(AF_INET, host, raw.baseAddress) == 1 || inet_pton(AF_INET6, host, raw.baseAddress) == 1
        }
    }
}
