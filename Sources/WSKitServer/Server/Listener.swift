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
            var refusal: AdmissionRefusal? = overLimit ? .overConnectionLimit : nil
            var limitKey: String?
            if !overLimit, shared.limitsAddresses {
                let decision = shared.admitAddress(address, now: loop.now)
                if decision == .admitted { limitKey = address }
                refusal = AdmissionRefusal(decision)
            }
            let socket = HandshakeSocket<Context>(
                fd: client, loop: loop, id: UInt64(loop.index) << 48 | nextID,
                remoteAddress: address, shared: shared, refusal: refusal, limitKey: limitKey, tls: tls
            )
            guard loop.register(socket, interest: .readable) else {
                Glibc.close(client)
                shared.connectionClosed(limitKey: limitKey, now: loop.now)
                continue
            }
            // A refused connection gets its 503 as soon as its request arrives, and is not kept
            // waiting for one longer than a second: refused sockets must not pile up.
            let timeout = shared.configuration.handshakeTimeout
            socket.deadlineTick = loop.deadline(after: refusal == nil ? timeout : min(timeout, .seconds(1)))
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
