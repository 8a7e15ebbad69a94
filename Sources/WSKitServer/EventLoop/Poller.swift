import CWSKitShims
import Glibc

/// Readiness bits a `Poller` reports and accepts.
struct PollEvents: OptionSet, Sendable {
    let rawValue: UInt32
    static let readable = PollEvents(rawValue: UInt32(CWSKIT_EPOLLIN))
    static let writable = PollEvents(rawValue: UInt32(CWSKIT_EPOLLOUT))
    static let error = PollEvents(rawValue: UInt32(CWSKIT_EPOLLERR))
    static let hangup = PollEvents(rawValue: UInt32(CWSKIT_EPOLLHUP))
}

/// The event-loop backend seam: level-triggered readiness for file descriptors, each
/// registration carrying a 64-bit token. `EpollPoller` implements it on Linux; a kqueue backend
/// for macOS implements the same five calls.
protocol Poller {
    /// Registers `fd` with `interest` and `token`.
    func add(_ fd: Int32, interest: PollEvents, token: UInt64) -> Bool
    /// Changes the interest of a registered fd.
    func modify(_ fd: Int32, interest: PollEvents, token: UInt64) -> Bool
    /// Unregisters `fd` (closing the fd also does it).
    func remove(_ fd: Int32)
    /// Waits up to `timeoutMilliseconds` (-1: forever) and calls `body` for each ready fd.
    func wait(timeoutMilliseconds: Int32, _ body: (UInt64, PollEvents) -> Void) -> Int32
    /// Releases the backend.
    func close()
}

/// Linux epoll, level-triggered, through the C shim (Glibc's `epoll_event` is packed).
final class EpollPoller: Poller {
    private let epfd: Int32
    private let events: UnsafeMutablePointer<cwskit_epoll_event>
    private let capacity: Int32 = 1024

    init() throws(ServerError) {
        epfd = cwskit_epoll_create()
        guard epfd >= 0 else { throw ServerError.system("epoll_create1", errno) }
        events = .allocate(capacity: Int(capacity))
    }

    func add(_ fd: Int32, interest: PollEvents, token: UInt64) -> Bool {
        cwskit_epoll_add(epfd, fd, interest.rawValue, token) == 0
    }

    func modify(_ fd: Int32, interest: PollEvents, token: UInt64) -> Bool {
        cwskit_epoll_mod(epfd, fd, interest.rawValue, token) == 0
    }

    func remove(_ fd: Int32) { _ = cwskit_epoll_del(epfd, fd) }

    func wait(timeoutMilliseconds: Int32, _ body: (UInt64, PollEvents) -> Void) -> Int32 {
        let n = cwskit_epoll_wait(epfd, events, capacity, timeoutMilliseconds)
        if n > 0 {
            for i in 0 ..< Int(n) { body(events[i].data, PollEvents(rawValue: events[i].events)) }
        }
        return n
    }

    func close() {
        _ = Glibc.close(epfd)
        events.deallocate()
    }
}
