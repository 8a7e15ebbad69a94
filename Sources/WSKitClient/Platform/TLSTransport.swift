#if canImport(WSKitTLS)
import WSKitProtocol
import WSKitTLS

/// `wss://` over OpenSSL: TLS layered on another transport's byte stream (`POSIXTransport` by
/// default), with certificate verification against the system trust store or a given CA bundle,
/// the host name check, SNI, ALPN `http/1.1` and an optional client certificate (mutual TLS).
///
/// `ws://` endpoints pass straight through to the base transport, so one `TLSTransport` serves
/// both schemes. Certificate failures end the stream with `.connectFailed(.tls(...))`; the
/// reconnect policy treats them as terminal (a certificate does not fix itself).
///
/// ```swift
/// var options = WebSocketConnectionOptions()
/// options.transport = TLSTransport(configuration: .init(trustRoots: .certificates(.file("ca.pem"))))
/// ```
public struct TLSTransport: ClientTransport {
    /// The TLS settings.
    public let configuration: TLSClientConfiguration
    /// The transport that carries the encrypted bytes.
    public var base: POSIXTransport
    /// The context, built once (loading trust roots costs milliseconds) and shared by every
    /// connection of this transport; or why it could not be built.
    private let context: Result<TLSClientContext, TLSError>

    /// Creates the transport; configuration errors (an unreadable CA file) surface when a
    /// `wss://` connection is opened, as `.connectFailed(.tls(.configuration(...)))`.
    public init(configuration: TLSClientConfiguration = .default, base: POSIXTransport = POSIXTransport()) {
        self.configuration = configuration
        self.base = base
        context = configuration == .default ? Self.systemDefault : Self.build(configuration)
    }

    /// The system-trust context, shared by every default `TLSTransport` of the process.
    private static let systemDefault = build(.default)

    private static func build(_ configuration: TLSClientConfiguration) -> Result<TLSClientContext, TLSError> {
        do throws(TLSError) { return .success(try TLSClientContext(configuration: configuration)) } catch { return .failure(error) }
    }

    /// Opens `endpoint`: through TLS when it is secure, directly otherwise.
    public func open(_ endpoint: ClientEndpoint, connectTimeout: Duration, handler: any ClientStreamHandler) -> any ClientStream {
        guard endpoint.secure else { return base.open(endpoint, connectTimeout: connectTimeout, handler: handler) }
        let session: TLSSession
        do throws(TLSError) {
            session = try context.get().makeSession(host: endpoint.host)
        } catch {
            handler.streamClosed(.connectFailed(.tls(error)))
            return ClosedStream()
        }
        var plain = endpoint
        plain.secure = false
        let filter = TLSStreamHandler(session: session, inner: handler, handshakeTimeout: PlatformClock.nanoseconds(connectTimeout))
        return base.open(plain, connectTimeout: connectTimeout, handler: filter)
    }
}

/// The stream of a connection that ended before it started.
private struct ClosedStream: ClientStream {
    func wake() {}
    func abort() {}
}

/// Sits between a transport and the WebSocket handler: completes the TLS handshake, then
/// decrypts what the transport reads and encrypts what the handler writes — everything the
/// handler appends in one call is encrypted with one `SSL_write`. Called on the transport's I/O
/// thread only.
final class TLSStreamHandler: ClientStreamHandler, @unchecked Sendable {
    private let session: TLSSession
    private let inner: any ClientStreamHandler
    private let handshakeTimeout: UInt64
    private var handshakeDeadline: UInt64?
    /// Whether the inner handler got `streamConnected` (the TLS handshake completed).
    private var connected = false
    private var failure: TLSError?
    private var timedOut = false
    /// What the inner handler writes, before encryption.
    private var plaintextOutput = OutputBuffer()
    private let plaintext = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 16)

    init(session: TLSSession, inner: any ClientStreamHandler, handshakeTimeout: UInt64) {
        self.session = session
        self.inner = inner
        self.handshakeTimeout = handshakeTimeout
    }

    deinit { plaintext.deallocate() }

    func streamConnected(now: UInt64, output: inout OutputBuffer) -> ClientStreamDirective {
        handshakeDeadline = now &+ handshakeTimeout
        do throws(TLSError) { try session.start() } catch { return fail(error, &output) }
        moveCiphertext(into: &output)
        return .proceed
    }

    func streamReceived(_ bytes: UnsafeMutableRawBufferPointer, now: UInt64, output: inout OutputBuffer) -> ClientStreamDirective {
        var directive = ClientStreamDirective.proceed
        do throws(TLSError) {
            _ = try session.receive(UnsafeRawBufferPointer(bytes), plaintext: plaintext) { chunk in
                if !connected { directive = connect(now) }
                if directive == .proceed { directive = inner.streamReceived(chunk, now: now, output: &plaintextOutput) }
                return directive == .proceed
            }
            if !connected, session.isHandshakeComplete, directive == .proceed { directive = connect(now) }
        } catch {
            return fail(error, &output)
        }
        return finish(directive, &output)
    }

    func streamService(now: UInt64, output: inout OutputBuffer) -> ClientStreamDirective {
        guard connected else {
            if let handshakeDeadline, now >= handshakeDeadline {
                timedOut = true
                return .close
            }
            return .proceed
        }
        return finish(inner.streamService(now: now, output: &plaintextOutput), &output)
    }

    var streamDeadline: UInt64? { connected ? inner.streamDeadline : handshakeDeadline }

    func streamClosed(_ end: ClientStreamEnd) {
        if let failure {
            inner.streamClosed(connected ? .failed(.tls(failure)) : .connectFailed(.tls(failure)))
        } else if timedOut {
            inner.streamClosed(.connectFailed(.timeout))
        } else if !connected, case .closed = end {
            inner.streamClosed(.peerClosed)
        } else {
            inner.streamClosed(end)
        }
    }

    /// The handshake completed: the inner handler starts (its upgrade request).
    private func connect(_ now: UInt64) -> ClientStreamDirective {
        connected = true
        handshakeDeadline = nil
        return inner.streamConnected(now: now, output: &plaintextOutput)
    }

    /// Encrypts what the inner handler wrote, adds close_notify when it is done, and hands the
    /// records to the transport.
    private func finish(_ directive: ClientStreamDirective, _ output: inout OutputBuffer) -> ClientStreamDirective {
        if !plaintextOutput.isEmpty {
            let failed: TLSError? = plaintextOutput.withUnsafeReadableBytes { bytes in
                do throws(TLSError) { try session.write(bytes) } catch { return error }
                return nil
            }
            plaintextOutput.removeAll(keepingCapacity: true)
            if let failed { return fail(failed, &output) }
        }
        if directive != .proceed { session.shutdown() }
        moveCiphertext(into: &output)
        return directive
    }

    private func fail(_ error: TLSError, _ output: inout OutputBuffer) -> ClientStreamDirective {
        failure = error
        // The alert OpenSSL queued tells the server why.
        moveCiphertext(into: &output)
        return .close
    }

    private func moveCiphertext(into output: inout OutputBuffer) {
        guard session.hasPendingOutput else { return }
        session.withPendingOutput { output.append($0) }
        session.consumeOutput(session.pendingOutputCount)
    }
}
#endif
