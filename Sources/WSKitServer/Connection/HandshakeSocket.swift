import Glibc
import WSKitMetrics
import WSKitProtocol
import WSKitTLS

/// An accepted connection before its upgrade: reads the HTTP request, asks `UpgradePolicy`,
/// then either writes a refusal and closes, or hands its file descriptor to a new `WebSocket`
/// (which the loop polls from then on) and ends its own part.
///
/// Keeping the pre-upgrade phase in its own type means a `WebSocket` always has its context:
/// behaviour callbacks only ever see upgraded connections.
///
/// On a TLS server the TLS handshake happens here too (in `.reading`, so the handshake timeout
/// covers it), and the `TLSSession` moves to the `WebSocket` with the fd.
final class HandshakeSocket<Context>: LoopSocket, @unchecked Sendable {
    /// Each phase holds the data that exists only in it.
    enum Phase {
        /// Reading the HTTP upgrade request.
        case reading(HTTPRequestParser)
        /// Writing an HTTP response (a refusal), then closing the socket.
        case responding
        /// The fd now belongs to a `WebSocket`; this object is out of the loop.
        case upgraded
        /// The socket is closed.
        case closed
    }

    private let id: UInt64
    private let remoteAddress: String
    /// Refused when accepted (connection limits): the upgrade gets 503.
    private var refusal: AdmissionRefusal?
    /// The client address this connection is counted against (ADR 0093); it moves to the
    /// `WebSocket` with the fd.
    private var limitKey: String?
    private let shared: ServerShared<Context>
    private var phase: Phase
    /// A refusal being written.
    private var output = OutputBuffer()
    /// The connection's TLS session on a TLS server; nil for plain TCP.
    private let tls: TLSSession?
    /// The `WebSocket` this connection became, while the rest of the read that completed the
    /// upgrade is handed to it (TLS only).
    private var successor: WebSocket<Context>?

    init(
        fd: Int32, loop: EventLoop, id: UInt64, remoteAddress: String, shared: ServerShared<Context>,
        refusal: AdmissionRefusal?, limitKey: String?, tls: TLSSession? = nil
    ) {
        self.id = id
        self.tls = tls
        self.remoteAddress = remoteAddress
        self.refusal = refusal
        self.limitKey = limitKey
        self.shared = shared
        phase = .reading(HTTPRequestParser(limits: shared.configuration.httpLimits))
        super.init(fd: fd, loop: loop)
    }

    // MARK: Events from the loop

    override func readable() {
        let buffer = tls == nil ? loop.readBuffer : loop.tlsCiphertextBuffer
        var n: Int
        repeat { n = Glibc.recv(fd, buffer.baseAddress, buffer.count, 0) } while n < 0 && errno == EINTR
        if n > 0 {
            let input = UnsafeMutableRawBufferPointer(rebasing: buffer[0 ..< n])
            if let tls {
                receiveTLS(tls, input)
            } else {
                received(input)
            }
        } else if n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) {
            closeSocketNow()
        }
    }

    /// Bytes of the request (decrypted, on a TLS connection).
    private func received(_ input: UnsafeMutableRawBufferPointer) {
        guard case var .reading(parser) = phase else { return }
        // Take the parser out of `phase` while it parses, so that its buffer is uniquely
        // referenced and grows in place instead of being copied.
        phase = .responding
        let result = parser.parse(UnsafeRawBufferPointer(input))
        switch result {
        case .needMoreData:
            phase = .reading(parser)
        case let .failure(error):
            shared.metrics?.increment(.connectionsRefused, by: 1, labels: MetricLabels("reason", "bad_request"))
            respond(error.response)
        case let .complete(head, consumed):
            let leftover = UnsafeMutableRawBufferPointer(rebasing: input[consumed...])
            if refusal == nil, shared.limitsAddresses, shared.trustedProxies.contains(remoteAddress) { limitForwardedClient(head) }
            // The `http` hook may serve a scrape: it sees this loop's counts up to now (ADR 0126).
            loop.publishTally()
            switch UpgradePolicy(shared: shared).decide(head, remoteAddress: remoteAddress, refusal: refusal) {
            case let .respond(response): respond(response)
            case let .accept(accepted): handOver(accepted, leftover: leftover)
            }
        }
    }

    override func writable() { flush() }

    override func flush() {
        guard fd >= 0 else { return }
        if let tls {
            flushTLS(tls)
            return
        }
        guard case .responding = phase else { return }
        if !output.isEmpty {
            let written = output.withUnsafeReadableBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
            }
            if written > 0 {
                output.consume(written)
            } else if written < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                closeSocketNow()
                return
            }
        }
        if output.isEmpty {
            // The response is out: read what the peer sent meanwhile so that the close is a FIN,
            // not an RST that would discard the response on the peer's side.
            loop.discardUnreadInput(fd)
            closeSocketNow()
        } else {
            loop.setInterest(self, [.readable, .writable])
        }
    }

    override func timerFired() {
        switch phase {
        case .reading:
            shared.logger(.debug, "handshake timed out", ["peer": remoteAddress])
            closeSocketNow()
        case .responding:
            closeSocketNow()
        case .upgraded, .closed:
            deadlineTick = 0
        }
    }

    override func beginShutdown() {
        if case .reading = phase { respond(.serviceUnavailable(retryAfter: .seconds(5))) }
    }

    override func forceClose() { closeSocketNow() }

    // MARK: Outcomes

    /// A request from a trusted proxy: count it against the client address the proxy forwarded
    /// (its own address when it sent none).
    private func limitForwardedClient(_ head: HTTPRequestHead) {
        guard WebSocketHandshake.isUpgradeRequest(head) else { return }
        let header = shared.configuration.clientAddressLimits.forwardedForHeader
        let client = head.headers.values(for: header).last.flatMap(forwardedClientAddress) ?? remoteAddress
        let decision = shared.admitForwardedAddress(client, now: loop.now)
        if decision == .admitted { limitKey = client }
        refusal = AdmissionRefusal(decision)
    }

    /// Writes an HTTP response and closes once it is written.
    private func respond(_ response: HTTPResponse) {
        phase = .responding
        response.serialize(into: &output)
        deadlineTick = loop.deadline(after: shared.configuration.limits.closeTimeout)
        loop.scheduleFlush(self)
    }

    /// Opens a `WebSocket` on this fd: the loop delivers the fd's events to it from now on.
    private func handOver(_ accepted: AcceptedUpgrade<Context>, leftover: UnsafeMutableRawBufferPointer) {
        phase = .upgraded
        deadlineTick = 0
        let socket = WebSocket(
            fd: fd, loop: loop, id: id, remoteAddress: remoteAddress, shared: shared,
            context: accepted.context, subprotocol: accepted.subprotocol, path: accepted.path,
            extensions: shared.compressionExtensions(accepted.deflate, loop: loop), tls: tls, limitKey: limitKey)
        limitKey = nil
        loop.transfer(self, to: socket)
        if tls != nil { successor = socket }
        socket.open(writing: accepted.response, leftover: leftover)
    }

    private func closeSocketNow() {
        switch phase {
        case .upgraded, .closed: return
        case .reading, .responding: break
        }
        phase = .closed
        deadlineTick = 0
        loop.closeSocket(self)
        output.removeAll()
        shared.connectionClosed(limitKey: limitKey, now: loop.now)
        limitKey = nil
    }

    // MARK: TLS

    /// Advances the TLS handshake and parses the request it carries. Plaintext that follows the
    /// request in the same read goes to the `WebSocket` the connection became.
    private func receiveTLS(_ tls: TLSSession, _ ciphertext: UnsafeMutableRawBufferPointer) {
        guard case .reading = phase else { return }
        defer { successor = nil }
        let outcome: TLSSession.ReceiveOutcome
        do {
            outcome = try tls.receive(UnsafeRawBufferPointer(ciphertext), plaintext: loop.tlsPlaintextBuffer) { chunk in
                if let successor {
                    successor.received(chunk)
                    return successor.acceptsInput
                }
                received(chunk)
                if let successor { return successor.acceptsInput }
                if case .reading = phase { return true }
                return false
            }
        } catch {
            if let successor {
                successor.tlsFailed(error)
            } else {
                shared.logger(.info, "TLS failed (handshake): \(error)", ["peer": remoteAddress])
                output.removeAll()
                respondTLSFailure()
            }
            return
        }
        if let successor {
            successor.tlsReceived(outcome)
        } else if outcome == .peerClosed {
            closeSocketNow()
        } else if fd >= 0, tls.hasPendingOutput {
            loop.scheduleFlush(self)
        }
    }

    /// After a TLS failure: send OpenSSL's alert (if any), then close.
    private func respondTLSFailure() {
        phase = .responding
        deadlineTick = loop.deadline(after: shared.configuration.limits.closeTimeout)
        loop.scheduleFlush(self)
    }

    /// Sends the handshake's records; when responding, encrypts the response (if the TLS handshake
    /// completed: before that nobody can read it), adds close_notify, and closes once all is out.
    private func flushTLS(_ tls: TLSSession) {
        let responding: Bool
        if case .responding = phase { responding = true } else { responding = false }
        if responding, !output.isEmpty, !tls.hasPendingOutput {
            if tls.isHandshakeComplete, tls.failure == nil {
                let failed: TLSError? = output.withUnsafeReadableBytes { bytes in
                    do throws(TLSError) { try tls.write(bytes) } catch { return error }
                    return nil
                }
                if failed != nil {
                    closeSocketNow()
                    return
                }
            }
            output.removeAll()
        }
        if responding, output.isEmpty { tls.shutdown() }
        if tls.hasPendingOutput {
            let written = tls.withPendingOutput {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
            }
            if written > 0 {
                tls.consumeOutput(written)
            } else if written < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                closeSocketNow()
                return
            }
        }
        if tls.hasPendingOutput || (responding && !output.isEmpty) {
            loop.setInterest(self, [.readable, .writable])
        } else if responding {
            loop.discardUnreadInput(fd)
            closeSocketNow()
        } else {
            loop.setInterest(self, .readable)
        }
    }
}
