import WSKitProtocol

/// The protocol side of one client connection: the opening handshake, then `WebSocketEngine` in
/// the client role, driven by a transport on its I/O thread (see `ClientStreamHandler`).
///
/// Engine and handshake state is confined to the I/O thread. Other threads talk to it only
/// through the `outbox`: they append what to send and wake the thread, which encodes everything
/// appended since the last wake-up into one write.
final class ConnectionDriver: ClientStreamHandler, @unchecked Sendable {
    /// Something to send, queued by any thread.
    enum Outbound {
        case text([UInt8])
        case binary([UInt8])
        case ping([UInt8])
        case pong([UInt8])
        case close(WebSocketCloseCode, String)
    }

    struct Outbox {
        var items: [Outbound] = []
        /// True while the I/O thread is inside a handler call or has a wake-up pending: it will
        /// look at `items` before sleeping, so senders need not wake it.
        var loopWillDrain = true
        /// Set once a close was queued or the connection ended: later sends are refused.
        var sealed = false
        /// `abort()` was called (possibly before `start`).
        var aborted = false
        var stream: (any ClientStream)?
    }

    /// Each phase holds the data that exists only in it.
    private enum Phase {
        /// The transport is connecting.
        case connecting
        /// The upgrade request is out; reading the response.
        case handshaking(HTTPResponseParser)
        /// Upgraded: frames flow through the engine.
        case open(OpenConnection)
        /// Closed, or closing with nothing left for the protocol to do.
        case finished
    }

    /// The engine of an open connection, in a box: the per-message path mutates it in place
    /// through the reference held by `.open`, instead of copying the engine out of the enum
    /// and back (which would also copy its assembly buffer on the next write to it). One
    /// allocation per connection, at the upgrade.
    private final class OpenConnection {
        var engine: WebSocketEngine
        init(_ engine: WebSocketEngine) { self.engine = engine }
    }

    let handshake: WebSocketClientHandshake
    let options: WebSocketConnectionOptions
    private let onEvent: @Sendable (WebSocketConnectionEvent) -> Void
    let outbox = Locked(Outbox())

    // I/O thread only.
    private var phase = Phase.connecting
    private var handshakeDeadline: UInt64 = .max
    private var lastInbound: UInt64 = 0
    private var probeSent = false
    private var wasOpen = false
    /// We sent a close frame (so the peer's close is the reply).
    private var closeSent = false
    private var ending: WebSocketCloseInfo?
    private let connectTimeout: UInt64
    private let linger: UInt64
    private let heartbeatInterval: UInt64?
    private let heartbeatTimeout: UInt64

    init(handshake: WebSocketClientHandshake, options: WebSocketConnectionOptions,
         onEvent: @escaping @Sendable (WebSocketConnectionEvent) -> Void) {
        self.handshake = handshake
        self.options = options
        self.onEvent = onEvent
        connectTimeout = PlatformClock.nanoseconds(options.connectTimeout)
        linger = PlatformClock.nanoseconds(options.closeLinger)
        heartbeatInterval = options.heartbeat.map { PlatformClock.nanoseconds($0.interval) }
        heartbeatTimeout = options.heartbeat.map { PlatformClock.nanoseconds($0.timeout) } ?? 0
    }

    // MARK: Any thread

    /// Starts the transport. Called once.
    func start(endpoint: ClientEndpoint) {
        // The handshake deadline covers the TCP connect as well.
        handshakeDeadline = PlatformClock.monotonicNanoseconds() &+ connectTimeout
        if outbox.withLock({ $0.aborted }) {
            phase = .finished
            onEvent(.closed(WebSocketCloseInfo(cause: .aborted, wasOpen: false)))
            return
        }
        let stream = options.transport.open(endpoint, connectTimeout: options.connectTimeout, handler: self)
        let (wake, abort) = outbox.withLock { box -> (Bool, Bool) in
            box.stream = stream
            return (!box.items.isEmpty && !box.loopWillDrain, box.aborted)
        }
        if abort {
            stream.abort()
        } else if wake {
            stream.wake()
        }
    }

    /// Queues `item`; false when the connection is closing or closed.
    @discardableResult
    func enqueue(_ item: Outbound) -> Bool {
        var accepted = false
        let stream = outbox.withLock { box -> (any ClientStream)? in
            guard !box.sealed else { return nil }
            accepted = true
            if case .close = item { box.sealed = true }
            box.items.append(item)
            guard !box.loopWillDrain, let stream = box.stream else { return nil }
            box.loopWillDrain = true
            return stream
        }
        stream?.wake()
        return accepted
    }

    /// Drops the connection without a closing handshake.
    func abort() {
        let stream = outbox.withLock { box -> (any ClientStream)? in
            box.sealed = true
            box.aborted = true
            return box.stream
        }
        stream?.abort()
    }

    // MARK: ClientStreamHandler (I/O thread)

    func streamConnected(now: UInt64, output: inout OutputBuffer) -> ClientStreamDirective {
        enter()
        phase = .handshaking(HTTPResponseParser())
        handshake.writeRequest(into: &output)
        return drain(now: now, output: &output)
    }

    func streamReceived(_ bytes: UnsafeMutableRawBufferPointer, now: UInt64, output: inout OutputBuffer) -> ClientStreamDirective {
        enter()
        lastInbound = now
        probeSent = false
        switch phase {
        case .handshaking(var parser):
            // Out of `phase` while it parses, so its buffer is uniquely referenced and grows in
            // place; every outcome below sets the next phase.
            phase = .finished
            switch parser.parse(UnsafeRawBufferPointer(bytes)) {
            case .needMoreData:
                phase = .handshaking(parser)
                return drain(now: now, output: &output)
            case .failure(let error):
                return fail(.malformedResponse(error))
            case .complete(let head, let consumed):
                switch handshake.validate(response: head) {
                case .failure(let error):
                    return fail(.handshakeFailed(error))
                case .success(let accepted):
                    let extensions: [any WebSocketExtension]
                    switch compressionExtensions(accepted) {
                    case .failure(let error): return fail(.handshakeFailed(error))
                    case .success(let negotiated): extensions = negotiated
                    }
                    let open = OpenConnection(WebSocketEngine(
                        role: .client, limits: options.limits, extensions: extensions,
                        maskingKey: options.maskingKey ?? { UInt32.random(in: .min ... .max) }))
                    phase = .open(open)
                    wasOpen = true
                    onEvent(.open(accepted))
                    let rest = UnsafeMutableRawBufferPointer(rebasing: bytes[consumed...])
                    return receiveFrames(rest, into: open, now: now, output: &output)
                }
            }
        case .open(let open):
            return receiveFrames(bytes, into: open, now: now, output: &output)
        case .connecting, .finished:
            return drain(now: now, output: &output)
        }
    }

    func streamService(now: UInt64, output: inout OutputBuffer) -> ClientStreamDirective {
        enter()
        switch phase {
        case .connecting, .handshaking:
            if now >= handshakeDeadline { return fail(.handshakeTimeout) }
        case .open(let open):
            if open.engine.closeHandshakeTimedOut(now: now) {
                return end(WebSocketCloseInfo(cause: .clientClosed, wasOpen: true), directive: .close)
            }
            if let interval = heartbeatInterval, open.engine.state == .open {
                let idle = now &- lastInbound
                if idle >= interval &+ heartbeatTimeout {
                    return end(WebSocketCloseInfo(cause: .heartbeatTimeout, wasOpen: true), directive: .close)
                }
                if idle >= interval && !probeSent {
                    probeSent = true
                    switch options.heartbeat?.probe ?? .ping {
                    case .ping: open.engine.ping(UnsafeRawBufferPointer(start: nil, count: 0), into: &output)
                    case .text(let text): open.engine.send(text: text, into: &output)
                    }
                }
            }
        case .finished:
            break
        }
        return drain(now: now, output: &output)
    }

    var streamDeadline: UInt64? {
        switch phase {
        case .connecting, .handshaking:
            return handshakeDeadline
        case .open(let open):
            var deadline = open.engine.closeHandshakeDeadline
            if let interval = heartbeatInterval, open.engine.state == .open {
                let due = lastInbound &+ interval &+ (probeSent ? heartbeatTimeout : 0)
                deadline = min(deadline ?? due, due)
            }
            return deadline
        case .finished:
            return nil
        }
    }

    func streamClosed(_ end: ClientStreamEnd) {
        outbox.withLock { box in
            box.sealed = true
            box.items.removeAll()
            box.stream = nil
        }
        phase = .finished
        let info: WebSocketCloseInfo
        if let ending {
            info = ending
        } else {
            switch end {
            case .connectFailed(let error), .failed(let error):
                info = WebSocketCloseInfo(cause: .transport(error), wasOpen: wasOpen)
            case .peerClosed:
                info = WebSocketCloseInfo(cause: .connectionLost, wasOpen: wasOpen)
            case .aborted, .closed:
                info = WebSocketCloseInfo(cause: .aborted, wasOpen: wasOpen)
            }
        }
        onEvent(.closed(info))
    }

    // MARK: Internals

    /// Marks the I/O thread busy: sends made from event callbacks need no wake-up.
    private func enter() {
        outbox.withLock { $0.loopWillDrain = true }
    }

    /// Parses frames, reporting each event, and sends what the callbacks queued right after the
    /// event that caused it (so an echo precedes the reply to a close that followed the message).
    private func receiveFrames(
        _ bytes: UnsafeMutableRawBufferPointer, into open: OpenConnection, now: UInt64, output: inout OutputBuffer
    ) -> ClientStreamDirective {
        var offset = 0
        while let event = open.engine.nextEvent(in: bytes, offset: &offset, output: &output) {
            switch event {
            case .text(let payload):
                onEvent(.text(String(decoding: payload, as: UTF8.self)))
            case .binary(let payload):
                onEvent(.binary(Array(payload)))
            case .ping(let payload):
                onEvent(.ping(Array(payload)))
            case .pong(let payload):
                onEvent(.pong(Array(payload)))
            case .close(let code, let reason):
                let cause: WebSocketCloseInfo.Cause = closeSent ? .clientClosed : .serverClosed
                ending = WebSocketCloseInfo(cause: cause, code: code, reason: reason, wasOpen: true)
            case .failure(let error):
                ending = WebSocketCloseInfo(
                    cause: .protocolViolation(error), code: error.closeCode, reason: error.reason, wasOpen: true)
            }
            if open.engine.state != .closed { sendQueued(to: open, now: now, output: &output, keepDraining: true) }
        }
        return drain(now: now, output: &output)
    }

    /// Encodes everything queued (once open) and tells the transport how to go on.
    private func drain(now: UInt64, output: inout OutputBuffer) -> ClientStreamDirective {
        guard case .open(let open) = phase else {
            let closeRequested = outbox.withLock { box -> Bool in
                box.loopWillDrain = false
                return box.items.contains { if case .close = $0 { true } else { false } }
            }
            if case .finished = phase { return .proceed }
            if closeRequested {
                return end(WebSocketCloseInfo(cause: .aborted, wasOpen: false), directive: .close)
            }
            return .proceed
        }
        sendQueued(to: open, now: now, output: &output, keepDraining: false)
        if open.engine.state == .closed {
            if ending == nil { ending = WebSocketCloseInfo(cause: .clientClosed, wasOpen: true) }
            phase = .finished
            return .finish(deadline: now &+ linger)
        }
        return .proceed
    }

    /// Moves the outbox into the engine. With `keepDraining` false, clears `loopWillDrain`
    /// atomically with taking the items, so a later send wakes the thread.
    private func sendQueued(to open: OpenConnection, now: UInt64, output: inout OutputBuffer, keepDraining: Bool) {
        let items = outbox.withLock { box -> [Outbound] in
            if !keepDraining { box.loopWillDrain = false }
            guard !box.items.isEmpty else { return [] }
            // Hand the buffer over: returning a copy and then `removeAll(keepingCapacity:)`
            // would allocate a new buffer on every drain.
            let items = box.items
            box.items = []
            return items
        }
        for item in items {
            switch item {
            case .text(let bytes): bytes.withUnsafeBytes { _ = open.engine.send(.text, $0, into: &output) }
            case .binary(let bytes): bytes.withUnsafeBytes { _ = open.engine.send(.binary, $0, into: &output) }
            case .ping(let bytes): bytes.withUnsafeBytes { _ = open.engine.ping($0, into: &output) }
            case .pong(let bytes): bytes.withUnsafeBytes { _ = open.engine.pong($0, into: &output) }
            case .close(let code, let reason):
                if open.engine.close(code: code, reason: reason, now: now, into: &output) { closeSent = true }
            }
        }
    }

    private func fail(_ cause: WebSocketCloseInfo.Cause) -> ClientStreamDirective {
        end(WebSocketCloseInfo(cause: cause, wasOpen: wasOpen), directive: .close)
    }

    private func end(_ info: WebSocketCloseInfo, directive: ClientStreamDirective) -> ClientStreamDirective {
        if ending == nil { ending = info }
        phase = .finished
        outbox.withLock {
            $0.sealed = true
            $0.loopWillDrain = false
        }
        return directive
    }
}
