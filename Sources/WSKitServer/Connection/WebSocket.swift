import CWSKitShims
import Glibc
import Synchronization
import WSKitMetrics
import WSKitProtocol
import WSKitTLS

/// One upgraded server connection: from its `101 Switching Protocols` to the close of its socket.
///
/// Before the upgrade the socket belongs to a `HandshakeSocket`, which reads the request and asks
/// `UpgradePolicy`; a `WebSocket` exists only from the upgrade on, so it always has its
/// `context`, and behaviour callbacks only ever see upgraded connections. The socket state, the
/// protocol engine, the output buffer and the application's `context` live here (this object
/// and its state block are the allocations of an open connection, besides buffers that exist
/// only while needed). All methods are meant to be called on the connection's `loop`; `send`,
/// `close` and `ping` called from another thread hop to the loop (copying the payload).
///
/// On a TLS server the connection's `TLSSession` sits between the socket calls here and the
/// engine: `readable` decrypts, `flush` encrypts the iteration's output at once (ADR 0080);
/// extension negotiation (compression) happens in `UpgradePolicy`.
public final class WebSocket<Context>: LoopSocket, @unchecked Sendable {
    /// The connection's phase. The data of an upgraded connection (context, engine, output) is
    /// needed in every phase — the engine still parses the peer's close reply while `closing`,
    /// the output still holds our close frame while `draining` — so it lives beside the phase in
    /// `State` rather than in enum payloads: the per-message path then mutates engine and output
    /// in place through the state pointer, never copying them out of an enum and back.
    enum Phase: UInt8 {
        /// Messages flow.
        case open
        /// We sent a close frame and wait for the peer's.
        case closing
        /// Writing what is left (a close frame), then closing the socket.
        case draining
        /// The socket is closed.
        case closed
    }

    /// A server-unique connection id.
    public let id: UInt64
    /// The peer's IP address.
    public let remoteAddress: String
    /// The negotiated subprotocol, if any.
    public var subprotocol: String? { state.pointee.subprotocol }
    /// The request path of the upgrade request.
    public var path: String { state.pointee.path }

    /// The connection's mutable state, in one block reached through a pointer: the hot path
    /// then pays no dynamic exclusivity checks (class properties accessed `inout` across
    /// callbacks would cost a runtime access-set update each time).
    struct State {
        var phase: Phase = .open
        var engine: WebSocketEngine
        var output = OutputBuffer()
        /// Unsent bytes remain after a flush: EPOLLOUT is registered and `drain` is owed.
        var backlogged = false
        var closeReported = false
        /// The backlog this connection has added to `shared.bufferedBytes` (ADR 0093).
        var accountedBacklog = 0
        var context: Context
        let subprotocol: String?
        let path: String
    }

    private let state: UnsafeMutablePointer<State>
    /// Calls from other threads queued on the loop and not yet run (see `mustHop`).
    private let pendingHops = Atomic<Int>(0)
    let shared: ServerShared<Context>
    /// The connection's TLS session on a TLS server (handed over by the `HandshakeSocket` with
    /// the fd); nil for plain TCP.
    private let tls: TLSSession?
    /// The client address this connection is counted against (ADR 0093), if any.
    private let limitKey: String?

    /// An upgraded connection on `fd`, which a `HandshakeSocket` hands over (see `open`).
    init(
        fd: Int32, loop: EventLoop, id: UInt64, remoteAddress: String, shared: ServerShared<Context>,
        context: Context, subprotocol: String?, path: String, extensions: [any WebSocketExtension] = [], tls: TLSSession? = nil,
        limitKey: String? = nil
    ) {
        self.id = id
        self.tls = tls
        self.limitKey = limitKey
        self.remoteAddress = remoteAddress
        self.shared = shared
        state = .allocate(capacity: 1)
        state.initialize(to: State(
            engine: WebSocketEngine(role: .server, limits: shared.configuration.limits, extensions: extensions),
            context: context, subprotocol: subprotocol, path: path))
        super.init(fd: fd, loop: loop)
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
    }

    var phase: Phase {
        get { state.pointee.phase }
        set { state.pointee.phase = newValue }
    }

    /// The application's data for this connection, from the upgrade hook.
    public var context: Context {
        get { state.pointee.context }
        set { state.pointee.context = newValue }
    }

    /// Whether messages can still be sent.
    public var isOpen: Bool { phase == .open }

    /// Bytes queued but not yet accepted by the kernel.
    public var bufferedAmount: Int { state.pointee.output.count + (tls?.pendingOutputCount ?? 0) }

    // MARK: Sending

    /// Sends a text message.
    @discardableResult
    public func send(text: String) -> SendStatus {
        var text = text
        return text.withUTF8 { send(.text, UnsafeRawBufferPointer($0)) }
    }

    /// Sends a binary message.
    @discardableResult
    public func send(binary: UnsafeRawBufferPointer) -> SendStatus { send(.binary, binary) }

    /// Sends a binary message.
    @discardableResult
    public func send(binary: [UInt8]) -> SendStatus {
        binary.withUnsafeBytes { send(.binary, $0) }
    }

    /// Sends a message of the same kind and bytes (an echo).
    @discardableResult
    public func send(_ message: WebSocketMessage) -> SendStatus {
        send(message.isText ? .text : .binary, message.bytes)
    }

    /// Sends one data frame; `fin: false` starts or continues a fragmented message.
    /// `compression` overrides the compression policy for this message (when permessage-deflate
    /// was negotiated; fragmented messages go out uncompressed).
    @discardableResult
    public func send(
        _ opcode: WebSocketOpcode, _ payload: UnsafeRawBufferPointer, fin: Bool = true,
        compression: WebSocketCompression = .automatic
    ) -> SendStatus {
        guard !mustHop else {
            let copy = Array(payload)
            hop { [self] in _ = copy.withUnsafeBytes { sendOnLoop(opcode, $0, fin: fin, compression: compression) } }
            return .buffered
        }
        return sendOnLoop(opcode, payload, fin: fin, compression: compression)
    }

    private func sendOnLoop(
        _ opcode: WebSocketOpcode, _ payload: UnsafeRawBufferPointer, fin: Bool,
        compression: WebSocketCompression = .automatic
    ) -> SendStatus {
        guard phase == .open, admit(payload.count + 14) else { return dropped() }
        let before = state.pointee.output.count
        state.pointee.engine.send(opcode, payload, fin: fin, compression: compression, into: &state.pointee.output)
        loop.scheduleFlush(self)
        loop.tally?.pointee.sent(bytes: state.pointee.output.count - before, buffered: state.pointee.backlogged)
        return state.pointee.backlogged ? .buffered : .sent
    }

    /// Counts a dropped send (only with a metrics sink).
    private func dropped() -> SendStatus {
        loop.tally?.pointee.dropped()
        return .dropped
    }

    /// Queues bytes that already form complete server frames (for example a pub/sub message
    /// encoded once with `WebSocketEngine.encodeFrame` for many subscribers). With
    /// permessage-deflate negotiated, a single data frame is compressed on the way (once per loop
    /// for connections without context takeover; see `WebSocketEngine.sendEncodedFrames`).
    @discardableResult
    public func sendEncodedFrames(_ frames: UnsafeRawBufferPointer) -> SendStatus {
        guard !mustHop else {
            let copy = Array(frames)
            hop { [self] in _ = copy.withUnsafeBytes { sendEncodedFramesOnLoop($0) } }
            return .buffered
        }
        return sendEncodedFramesOnLoop(frames)
    }

    private func sendEncodedFramesOnLoop(_ frames: UnsafeRawBufferPointer) -> SendStatus {
        guard phase == .open, admit(frames.count) else { return dropped() }
        state.pointee.engine.sendEncodedFrames(frames, into: &state.pointee.output)
        loop.scheduleFlush(self)
        loop.tally?.pointee.sent(bytes: frames.count, buffered: state.pointee.backlogged)
        return state.pointee.backlogged ? .buffered : .sent
    }

    /// Sends a ping (payload at most 125 bytes).
    @discardableResult
    public func ping(_ payload: [UInt8] = []) -> SendStatus {
        guard !mustHop else {
            hop { [self] in _ = pingOnLoop(payload) }
            return .buffered
        }
        return pingOnLoop(payload)
    }

    private func pingOnLoop(_ payload: [UInt8]) -> SendStatus {
        guard phase == .open, payload.count <= 125 else { return .dropped }
        payload.withUnsafeBytes { _ = state.pointee.engine.ping($0, into: &state.pointee.output) }
        loop.scheduleFlush(self)
        return state.pointee.backlogged ? .buffered : .sent
    }

    /// Starts the closing handshake; the socket closes when the peer answers or after the
    /// close timeout. `close` is reported with the peer's answer.
    public func close(code: WebSocketCloseCode = .normalClosure, reason: String = "") {
        guard !mustHop else {
            hop { [self] in closeOnLoop(code: code, reason: reason) }
            return
        }
        closeOnLoop(code: code, reason: reason)
    }

    private func closeOnLoop(code: WebSocketCloseCode, reason: String) {
        guard phase == .open else { return }
        state.pointee.engine.close(code: code, reason: reason, now: loop.now, into: &state.pointee.output)
        phase = .closing
        deadlineTick = loop.deadline(after: shared.configuration.limits.closeTimeout)
        loop.scheduleFlush(self)
    }

    /// Closes the socket at once, without a closing handshake (reported as 1006).
    public func terminate() {
        guard !mustHop else {
            hop { [self] in closeSocketNow() }
            return
        }
        closeSocketNow()
    }

    /// Whether a call must go through the loop's queue: it comes from another thread, or an
    /// earlier call from another thread is still queued (a direct call would overtake it, and one
    /// connection's frames must never reorder).
    @inline(__always)
    private var mustHop: Bool { !loop.inEventLoop || pendingHops.load(ordering: .acquiring) != 0 }

    /// Runs `work` on the loop after every call queued before it. `work` must be the on-loop body
    /// itself, never a public method that checks `mustHop` again: with later calls still queued
    /// it would queue itself behind them (reordering frames, and two such calls requeue each
    /// other forever).
    private func hop(_ work: @escaping @Sendable () -> Void) {
        pendingHops.add(1, ordering: .relaxed)
        loop.executeInOrder { [self] in
            pendingHops.subtract(1, ordering: .releasing)
            work()
        }
    }

    /// Applies the backpressure policy to `count` more bytes, and the server-wide cap on unsent
    /// bytes to a connection that has a backlog already.
    private func admit(_ count: Int) -> Bool {
        if state.pointee.output.count + count <= shared.configuration.maxBufferedBytes {
            guard state.pointee.backlogged, shared.bufferedBytes.isOverLimit else { return true }
            shared.logger(.info, "closing a backlogged connection: the server's unsent bytes are at maxTotalBufferedBytes", ["id": "\(id)", "buffered": "\(bufferedAmount)"])
            failAndDrain(.tryAgainLater, reason: "server send buffers full")
            return false
        }
        if case let .close(code) = shared.configuration.backpressurePolicy {
            shared.logger(.info, "closing a connection over its buffer limit", ["id": "\(id)", "buffered": "\(state.pointee.output.count)"])
            shared.metrics?.increment(.backpressureCloses)
            failAndDrain(code, reason: "send buffer limit exceeded")
        }
        return false
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

    /// Bytes from the peer (decrypted, on a TLS connection).
    func received(_ input: UnsafeMutableRawBufferPointer) {
        switch phase {
        case .open:
            deadlineTick = shared.idleDeadline(loop)
            feed(input, from: 0)
        case .closing: feed(input, from: 0)
        case .draining, .closed: break
        }
    }

    /// Whether more input is wanted (not draining or closed).
    var acceptsInput: Bool { fd >= 0 && phase != .draining && phase != .closed }

    override func writable() { flush() }

    override func flush() {
        guard fd >= 0 else { return }
        if let tls {
            guard flushTLS(tls) else { return }
        } else if !state.pointee.output.isEmpty {
            // send(2) rather than write(2): the socket layer directly, without the VFS write path;
            // MSG_NOSIGNAL so a peer that is gone yields EPIPE, never SIGPIPE.
            let written = state.pointee.output.withUnsafeReadableBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
            }
            if written > 0 {
                state.pointee.output.consume(written)
            } else if written < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                closeSocketNow()
                return
            }
        }
        if state.pointee.output.isEmpty && !(tls?.hasPendingOutput ?? false) {
            if phase == .draining {
                // Our close frame is out: read what the peer sent meanwhile so that the close is
                // a FIN, not an RST that would discard it on the peer's side.
                loop.discardUnreadInput(fd)
                closeSocketNow()
                return
            }
            if state.pointee.backlogged {
                state.pointee.backlogged = false
                accountBacklog(0)
                loop.setInterest(self, .readable)
                if phase == .open { shared.behavior.drain(self) }
            }
        } else {
            state.pointee.backlogged = true
            accountBacklog(bufferedAmount)
            // Read backpressure: over the threshold, poll for writability only, so a peer that
            // does not read its replies is not read either (TCP flow control slows it down).
            let paused = state.pointee.output.count >= shared.readPauseBytes
            loop.setInterest(self, paused ? .writable : [.readable, .writable])
        }
    }

    override func timerFired() {
        switch phase {
        case .open:
            shared.metrics?.increment(.idleTimeouts)
            close(code: .goingAway, reason: "idle timeout")
        case .closing, .draining:
            shared.metrics?.increment(.closeTimeouts)
            closeSocketNow()
        case .closed:
            deadlineTick = 0
        }
    }

    override func beginShutdown() {
        switch phase {
        case .open:
            close(code: .goingAway, reason: "server shutting down")
        case .closing, .draining, .closed:
            break
        }
    }

    override func forceClose() { closeSocketNow() }

    // MARK: Opening

    /// Starts the open connection: queues the 101 `response`, tells the application, and feeds
    /// the bytes that followed the request in the same read (`leftover`, borrowed).
    func open(writing response: HTTPResponse, leftover: UnsafeMutableRawBufferPointer) {
        response.serialize(into: &state.pointee.output)
        deadlineTick = shared.idleDeadline(loop)
        loop.scheduleFlush(self)
        shared.metricHandles?.connectionsOpen.adjust(by: 1)
        shared.behavior.open(self)
        if !leftover.isEmpty, phase == .open { feed(leftover, from: 0) }
    }

    // MARK: Frames

    private func feed(_ input: UnsafeMutableRawBufferPointer, from start: Int) {
        var offset = start
        while fd >= 0, let event = state.pointee.engine.nextEvent(in: input, offset: &offset, output: &state.pointee.output) {
            switch event {
            case let .text(payload):
                loop.tally?.pointee.received(bytes: payload.count)
                if phase == .open { shared.behavior.message(self, .text(payload)) }
            case let .binary(payload):
                loop.tally?.pointee.received(bytes: payload.count)
                if phase == .open { shared.behavior.message(self, .binary(payload)) }
            case let .ping(payload):
                shared.behavior.ping(self, payload)
            case let .pong(payload):
                shared.behavior.pong(self, payload)
            case let .close(code, reason):
                reportClose(code, reason)
                beginDraining()
            case let .failure(error):
                shared.logger(.debug, "protocol error: \(error.reason)", ["id": "\(id)", "code": "\(error.closeCode)"])
                reportClose(error.closeCode, error.reason)
                beginDraining()
            }
        }
        if fd >= 0, !state.pointee.output.isEmpty { loop.scheduleFlush(self) }
    }

    /// Sends a close frame for a local failure, then closes once it is written.
    private func failAndDrain(_ code: WebSocketCloseCode, reason: String) {
        guard phase == .open || phase == .closing else { return }
        state.pointee.output.removeAll()
        if phase == .open { state.pointee.engine.close(code: code, reason: reason, now: loop.now, into: &state.pointee.output) }
        reportClose(code, reason)
        beginDraining()
    }

    private func beginDraining() {
        phase = .draining
        deadlineTick = loop.deadline(after: shared.configuration.limits.closeTimeout)
        loop.scheduleFlush(self)
    }

    private func reportClose(_ code: WebSocketCloseCode, _ reason: String) {
        guard !state.pointee.closeReported else { return }
        state.pointee.closeReported = true
        if let metrics = shared.metricHandles {
            metrics.connectionsOpen.adjust(by: -1)
            metrics.sink.increment(.connectionsClosed, by: 1, labels: MetricLabels("code", String(code.rawValue)))
        }
        shared.behavior.close(self, code, reason)
    }

    private func closeSocketNow() {
        guard phase != .closed else { return }
        reportClose(.abnormalClosure, "")
        phase = .closed
        deadlineTick = 0
        loop.closeSocket(self)
        state.pointee.output.removeAll()
        accountBacklog(0)
        shared.connectionClosed(limitKey: limitKey, now: loop.now)
    }

    /// Reports this connection's backlog to the server-wide total (only changes: no atomic
    /// operation while it stays the same).
    @inline(__always)
    private func accountBacklog(_ backlog: Int) {
        let delta = backlog - state.pointee.accountedBacklog
        guard delta != 0 else { return }
        state.pointee.accountedBacklog = backlog
        shared.bufferedBytes.adjust(by: delta)
    }

    // MARK: TLS

    /// Decrypts received ciphertext and processes the plaintext.
    private func receiveTLS(_ tls: TLSSession, _ ciphertext: UnsafeMutableRawBufferPointer) {
        guard acceptsInput else { return }
        let outcome: TLSSession.ReceiveOutcome
        do {
            outcome = try tls.receive(UnsafeRawBufferPointer(ciphertext), plaintext: loop.tlsPlaintextBuffer) { chunk in
                received(chunk)
                return acceptsInput
            }
        } catch {
            tlsFailed(error)
            return
        }
        tlsReceived(outcome)
    }

    /// After a `receive`: the peer's close_notify ends the connection; records the session
    /// produced (alerts, tickets) are sent.
    func tlsReceived(_ outcome: TLSSession.ReceiveOutcome) {
        if outcome == .peerClosed {
            closeSocketNow()
        } else if fd >= 0, tls?.hasPendingOutput == true {
            loop.scheduleFlush(self)
        }
    }

    /// A TLS failure (a bad record, an alert from the peer): logged once, then the connection
    /// drains (sending OpenSSL's alert, if any) and closes.
    func tlsFailed(_ error: TLSError) {
        shared.logger(.info, "TLS failed: \(error)", ["peer": remoteAddress, "id": "\(id)"])
        state.pointee.output.removeAll()
        reportClose(.abnormalClosure, "TLS error")
        beginDraining()
    }

    /// Encrypts the iteration's corked output with one `SSL_write` and sends the records with one
    /// `send`, sending records still pending from an earlier flush first. When draining, ends
    /// with close_notify. Returns false if the socket was closed.
    private func flushTLS(_ tls: TLSSession) -> Bool {
        for _ in 0 ..< 2 {
            if !state.pointee.output.isEmpty, !tls.hasPendingOutput {
                if tls.failure == nil {
                    let failure: TLSError? = state.pointee.output.withUnsafeReadableBytes { bytes in
                        do throws(TLSError) { try tls.write(bytes) } catch { return error }
                        return nil
                    }
                    if let failure {
                        shared.logger(.info, "TLS failed: \(failure)", ["peer": remoteAddress, "id": "\(id)"])
                        closeSocketNow()
                        return false
                    }
                }
                state.pointee.output.consume(state.pointee.output.count)
            }
            if phase == .draining, state.pointee.output.isEmpty { tls.shutdown() }
            guard tls.hasPendingOutput else { return true }
            let written = tls.withPendingOutput {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
            }
            if written > 0 {
                tls.consumeOutput(written)
            } else if written < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                closeSocketNow()
                return false
            }
            if tls.hasPendingOutput || state.pointee.output.isEmpty { return true }
        }
        return true
    }
}
