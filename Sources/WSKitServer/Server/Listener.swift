import CWSKitShims
import Glibc

/// A listening socket owned by one loop; with several loops each has its own, bound with
/// SO_REUSEPORT, and the kernel spreads new connections across them.
final class Listener<Context>: LoopSocket, @unchecked Sendable {
    private let shared: ServerShared<Context>
    private var paused = false
    private var nextID: UInt64 = 0
    private var peer = [CChar](repeating: 0, count: 64)

    init(fd: Int32, loop: EventLoop, shared: ServerShared<Context>) {
        self.shared = shared
        super.init(fd: fd, loop: loop)
    }

    /// Accepts up to 64 connections per readiness event, so one busy listener cannot starve
    /// the loop's connections.
    override func readable() {
        for _ in 0 ..< 64 {
            let client = peer.withUnsafeMutableBufferPointer { cwskit_accept(fd, $0.baseAddress, Int32($0.count)) }
            if client < 0 {
                switch errno {
                case EAGAIN, EWOULDBLOCK, ECONNABORTED, EINTR, EPROTO:
                    return
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // Out of descriptors or memory: stop accepting until the next tick instead of
                    // spinning on a listener that stays readable.
                    shared.logger(.warning, "accept paused: \(String(cString: strerror(errno)))")
                    pause()
                    return
                default:
                    shared.logger(.error, "accept failed: \(String(cString: strerror(errno)))")
                    return
                }
            }
            if shared.isShuttingDown {
                Glibc.close(client)
                continue
            }
            let tls: TLSSession?
            do {
                tls = try shared.tls.makeSession()
            } catch {
                shared.logger(.error, "cannot create a TLS session: \(error)")
                Glibc.close(client)
                continue
            }
            nextID &+= 1
            let overLimit = shared.connectionOpened()
            let address = peer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            let socket = HandshakeSocket<Context>(
                fd: client, loop: loop, id: UInt64(loop.index) << 48 | nextID,
                remoteAddress: address, shared: shared, overLimit: overLimit, tls: tls
            )
            guard loop.register(socket, interest: .readable) else {
                Glibc.close(client)
                shared.connectionClosed()
                continue
            }
            socket.deadlineTick = loop.deadline(after: shared.configuration.handshakeTimeout)
        }
    }

    private func pause() {
        paused = true
        loop.setInterest(self, [])
        deadlineTick = loop.deadline(after: loop.tickInterval)
    }

    override func timerFired() {
        deadlineTick = 0
        if paused, fd >= 0 {
            paused = false
            loop.setInterest(self, .readable)
        }
    }

    override func beginShutdown() { loop.closeSocket(self) }

    override func forceClose() { loop.closeSocket(self) }
}
