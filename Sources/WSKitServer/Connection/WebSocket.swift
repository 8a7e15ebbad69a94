import CWSKitShims
import Glibc
import Synchronization
import WSKitProtocol

/// One server connection: from the first byte of its upgrade request to the close of its socket.
///
/// This object is the only allocation per connection (besides buffers that exist only while
/// needed): the socket state, the protocol state.pointee.engine, the state.pointee.output buffer and the application's
/// `context` live here. All methods are meant to be called on the connection's `loop`; `send`,
/// `close` and `ping` called from another thread hop to the loop (copying the payload).
public final class WebSocket<Context>: LoopSocket, @unchecked Sendable {
    enum Phase: UInt8 {
        /// Reading the HTTP upgrade request.
        case handshaking
        /// Upgraded; messages flow.
        case open
        /// We sent a close frame and wait for the peer's.
        case closing
        /// Writing what is left (a close frame or an HTTP response), then closing the socket.
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
        var phase: Phase = .handshaking
        var parser: HTTPRequestParser?
        var engine = WebSocketEngine(role: .server)
        var output = OutputBuffer()
        /// Unsent bytes remain after a flush: EPOLLOUT is registered and `drain` is owed.
        var backlogged = false
        var closeReported = false
        var refuseWith503: Bool
        var context: Context?
        var subprotocol: String?
        var path = ""
    }

    private let state: UnsafeMutablePointer<State>
    /// Calls from other threads queued on the loop and not yet run (see `mustHop`).
    private let pendingHops = Atomic<Int>(0)
    let shared: ServerShared<Context>

    init(fd: Int32, loop: EventLoop, id: UInt64, remoteAddress: String, shared: ServerShared<Context>, overLimit: Bool) {
        self.id = id
        self.remoteAddress = remoteAddress
        self.shared = shared
        state = .allocate(capacity: 1)
        state.initialize(to: State(parser: HTTPRequestParser(limits: shared.configuration.httpLimits), refuseWith503: overLimit))
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

    /// The application's data for this connection, set by the upgrade hook.
    public var context: Context {
        get { state.pointee.context! }
        set { state.pointee.context = newValue }
    }

    /// Whether messages can still be sent.
    public var isOpen: Bool { phase == .open }

    /// Bytes queued but not yet accepted by the kernel.
    public var bufferedAmount: Int { state.pointee.output.count }

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
        guard phase == .open else { return .dropped }
        guard admit(payload.count + 14) else { return .dropped }
        state.pointee.engine.send(opcode, payload, fin: fin, compression: compression, into: &state.pointee.output)
        loop.scheduleFlush(self)
        return state.pointee.backlogged ? .buffered : .sent
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
        guard phase == .open else { return .dropped }
        guard admit(frames.count) else { return .dropped }
        state.pointee.engine.sendEncodedFrames(frames, into: &state.pointee.output)
        loop.scheduleFlush(self)
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

    /// Applies the backpressure policy to `count` more bytes.
    private func admit(_ count: Int) -> Bool {
        if state.pointee.output.count + count <= shared.configuration.maxBufferedBytes { return true }
        if case let .close(code) = shared.configuration.backpressurePolicy {
            shared.logger(.info, "closing a connection over its buffer limit", ["id": "\(id)", "buffered": "\(state.pointee.output.count)"])
            failAndDrain(code, reason: "send buffer limit exceeded")
        }
        return false
    }

    // MARK: Events from the loop

    override func readable() {
        let buffer = loop.readBuffer
        var n: Int
        repeat { n = Glibc.recv(fd, buffer.baseAddress, buffer.count, 0) } while n < 0 && errno == EINTR
        if n > 0 {
            let input = UnsafeMutableRawBufferPointer(rebasing: buffer[0 ..< n])
            switch phase {
            case .handshaking: handshakeBytes(input)
            case .open:
                deadlineTick = shared.idleDeadline(loop)
                feed(input, from: 0)
            case .closing: feed(input, from: 0)
            case .draining, .closed: break
            }
        } else if n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) {
            closeSocketNow()
        }
    }

    override func writable() { flush() }

    override func flush() {
        guard fd >= 0 else { return }
        if !state.pointee.output.isEmpty {
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
        if state.pointee.output.isEmpty {
            if phase == .draining {
                // Our close frame or error response is out: read what the peer sent meanwhile so
                // that the close is a FIN, not an RST that would discard it on the peer's side.
                discardUnreadInput()
                closeSocketNow()
                return
            }
            if state.pointee.backlogged {
                state.pointee.backlogged = false
                loop.setInterest(self, .readable)
                if phase == .open { shared.behavior.drain(self) }
            }
        } else if !state.pointee.backlogged {
            state.pointee.backlogged = true
            loop.setInterest(self, [.readable, .writable])
        }
    }

    override func timerFired() {
        switch phase {
        case .handshaking:
            shared.logger(.debug, "handshake timed out", ["peer": remoteAddress])
            closeSocketNow()
        case .open:
            close(code: .goingAway, reason: "idle timeout")
        case .closing, .draining:
            closeSocketNow()
        case .closed:
            deadlineTick = 0
        }
    }

    override func beginShutdown() {
        switch phase {
        case .handshaking:
            respond(.serviceUnavailable(retryAfterSeconds: 5))
        case .open:
            close(code: .goingAway, reason: "server shutting down")
        case .closing, .draining, .closed:
            break
        }
    }

    override func forceClose() { closeSocketNow() }

    // MARK: Handshake

    private func handshakeBytes(_ input: UnsafeMutableRawBufferPointer) {
        guard state.pointee.parser != nil else { return }
        let result = state.pointee.parser!.parse(UnsafeRawBufferPointer(input))
        switch result {
        case .needMoreData:
            return
        case let .failure(error):
            respond(error.response)
        case let .complete(head, consumed):
            state.pointee.parser = nil
            upgrade(head, leftover: UnsafeMutableRawBufferPointer(rebasing: input[consumed...]))
        }
    }

    private func upgrade(_ head: HTTPRequestHead, leftover: UnsafeMutableRawBufferPointer) {
        let configuration = shared.configuration
        guard WebSocketHandshake.isUpgradeRequest(head) else {
            respond(shared.behavior.http(PlainHTTPRequest(head: head, remoteAddress: remoteAddress)))
            return
        }
        if state.pointee.refuseWith503 || shared.isShuttingDown {
            respond(.serviceUnavailable(retryAfterSeconds: 5))
            return
        }
        let handshake: UpgradeRequest
        switch WebSocketHandshake.validateUpgrade(head) {
        case let .success(valid): handshake = valid
        case let .failure(refusal):
            respond(refusal.response)
            return
        }
        if let allowed = configuration.allowedOrigins {
            guard let origin = handshake.origin, allowed.contains(origin) else {
                respond(.forbidden("origin not allowed"))
                return
            }
        }
        let selected = configuration.subprotocols.first { handshake.subprotocols.contains($0) }
        let incoming = IncomingUpgrade(head: head, handshake: handshake, remoteAddress: remoteAddress, selectedSubprotocol: selected)
        switch shared.behavior.upgrade(incoming) {
        case let .refuse(response):
            respond(response)
        case let .accept(context, subprotocol, headers):
            let chosen = subprotocol ?? selected
            if let chosen, !handshake.subprotocols.contains(chosen) {
                shared.logger(.error, "upgrade hook chose a subprotocol the client did not offer", ["subprotocol": chosen])
                respond(.internalServerError())
                return
            }
            state.pointee.context = context
            state.pointee.subprotocol = chosen
            state.pointee.path = head.path
            let deflate = shared.negotiateCompression(handshake.extensions)
            HTTPResponse.switchingProtocols(
                acceptValue: WebSocketHandshake.acceptValue(forKey: handshake.key),
                subprotocol: chosen,
                extensions: deflate.map { [$0.responseElement] } ?? [],
                extraHeaders: headers
            ).serialize(into: &state.pointee.output)
            state.pointee.engine = WebSocketEngine(
                role: .server, limits: configuration.limits, extensions: shared.compressionExtensions(deflate, loop: loop))
            phase = .open
            deadlineTick = shared.idleDeadline(loop)
            loop.scheduleFlush(self)
            shared.behavior.open(self)
            if !leftover.isEmpty, phase == .open { feed(leftover, from: 0) }
        }
    }

    /// Writes an HTTP response and closes once it is written.
    private func respond(_ response: HTTPResponse) {
        state.pointee.parser = nil
        response.serialize(into: &state.pointee.output)
        beginDraining()
    }

    // MARK: Frames

    private func feed(_ input: UnsafeMutableRawBufferPointer, from start: Int) {
        var offset = start
        while fd >= 0, let event = state.pointee.engine.nextEvent(in: input, offset: &offset, output: &state.pointee.output) {
            switch event {
            case let .text(payload):
                if phase == .open { shared.behavior.message(self, .text(payload)) }
            case let .binary(payload):
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
        guard !state.pointee.closeReported, state.pointee.context != nil else { return }
        state.pointee.closeReported = true
        shared.behavior.close(self, code, reason)
    }

    /// Reads and drops what the peer sent and we never read (bounded). Closing a socket with
    /// unread input makes the kernel send RST instead of FIN, and an RST makes the peer's kernel
    /// discard data it has not read yet — such as our close frame.
    private func discardUnreadInput() {
        guard fd >= 0 else { return }
        let buffer = loop.readBuffer
        for _ in 0 ..< 16 {
            let n = Glibc.recv(fd, buffer.baseAddress, buffer.count, 0)
            if n <= 0 { return }
        }
    }

    private func closeSocketNow() {
        guard phase != .closed else { return }
        reportClose(.abnormalClosure, "")
        phase = .closed
        deadlineTick = 0
        loop.closeSocket(self)
        state.pointee.output.removeAll()
        state.pointee.parser = nil
        shared.connectionClosed()
    }
}
