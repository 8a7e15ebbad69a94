/// Something an `EventLoop` polls: a listening socket or a connection.
///
/// One object per file descriptor; the loop finds it by fd and checks `generation` against the
/// generation stored in the epoll registration, so a readiness event for a closed fd that was
/// reused by a new socket in the same `epoll_wait` batch is never delivered to the newcomer.
/// Subclasses override the event methods; dispatch is one vtable call.
public class LoopSocket: @unchecked Sendable {
    /// The file descriptor, or -1 once closed.
    var fd: Int32
    /// Distinguishes this socket from earlier users of the same fd (the fd-reuse guard).
    var generation: UInt32 = 0
    /// The loop that owns this socket. Every method below runs on its thread.
    public unowned(unsafe) let loop: EventLoop
    /// The epoll interest currently registered (EPOLLIN / EPOLLOUT bits).
    var interest: UInt32 = 0
    /// The tick at which `timerFired()` is due, or `0` for none (see ADR 0005).
    var deadlineTick: UInt32 = 0
    /// Whether this socket is in the loop's flush list for this iteration.
    var queuedForFlush = false

    init(fd: Int32, loop: EventLoop) {
        self.fd = fd
        self.loop = loop
    }

    /// The fd has bytes to read (or an error or hang-up to discover by reading).
    func readable() {}
    /// The fd accepts more bytes (registered only while output is pending).
    func writable() {}
    /// `deadlineTick` passed.
    func timerFired() {}
    /// End of a loop iteration: write what was corked this iteration.
    func flush() {}
    /// The loop is shutting down gracefully.
    func beginShutdown() {}
    /// The loop is going away: release everything now.
    func forceClose() {}
}
