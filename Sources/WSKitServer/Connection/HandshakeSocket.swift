import Glibc
import WSKitProtocol

/// An accepted connection before its upgrade: reads the HTTP request, asks `UpgradePolicy`,
/// then either writes a refusal and closes, or hands its file descriptor to a new `WebSocket`
/// (which the loop polls from then on) and ends its own part.
///
/// Keeping the pre-upgrade phase in its own type means a `WebSocket` always has its context:
/// behaviour callbacks only ever see upgraded connections.
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
    /// Accepted beyond `maxConnections`: upgrades get 503.
    private let overLimit: Bool
    private let shared: ServerShared<Context>
    private var phase: Phase
    /// A refusal being written.
    private var output = OutputBuffer()

    init(fd: Int32, loop: EventLoop, id: UInt64, remoteAddress: String, shared: ServerShared<Context>, overLimit: Bool) {
        self.id = id
        self.remoteAddress = remoteAddress
        self.overLimit = overLimit
        self.shared = shared
        phase = .reading(HTTPRequestParser(limits: shared.configuration.httpLimits))
        super.init(fd: fd, loop: loop)
    }

    // MARK: Events from the loop

    override func readable() {
        let buffer = loop.readBuffer
        var n: Int
        repeat { n = Glibc.recv(fd, buffer.baseAddress, buffer.count, 0) } while n < 0 && errno == EINTR
        if n > 0 {
            guard case var .reading(parser) = phase else { return }
            // Take the parser out of `phase` while it parses, so that its buffer is uniquely
            // referenced and grows in place instead of being copied.
            phase = .responding
            let result = parser.parse(UnsafeRawBufferPointer(rebasing: buffer[0 ..< n]))
            switch result {
            case .needMoreData:
                phase = .reading(parser)
            case let .failure(error):
                respond(error.response)
            case let .complete(head, consumed):
                let leftover = UnsafeMutableRawBufferPointer(rebasing: buffer[consumed ..< n])
                switch UpgradePolicy(shared: shared).decide(head, remoteAddress: remoteAddress, overLimit: overLimit) {
                case let .respond(response): respond(response)
                case let .accept(accepted): handOver(accepted, leftover: leftover)
                }
            }
        } else if n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) {
            closeSocketNow()
        }
    }

    override func writable() { flush() }

    override func flush() {
        guard fd >= 0, case .responding = phase else { return }
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
            context: accepted.context, subprotocol: accepted.subprotocol, path: accepted.path)
        loop.transfer(self, to: socket)
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
        shared.connectionClosed()
    }
}
