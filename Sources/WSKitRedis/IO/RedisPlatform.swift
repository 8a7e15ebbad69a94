#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The platform seam: every system call the client makes is in this file (sockets, poll(2), a
// wake-up pipe, a monotonic clock, one thread per connection). Another platform replaces this
// file only.

/// Monotonic time in nanoseconds.
func redisNow() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// `duration` in nanoseconds, clamped to 0 ... UInt64.max / 2.
func redisNanoseconds(_ duration: Duration) -> UInt64 {
    let (seconds, attoseconds) = duration.components
    guard seconds >= 0 else { return 0 }
    guard seconds < 4_000_000_000 else { return UInt64.max / 2 }
    return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
}

/// The monotonic deadline of a command with this timeout (at least 1 ns away), or 0 (none)
/// when `timeout` is nil.
func redisDeadline(after timeout: Duration?) -> UInt64 {
    timeout.map { redisNow() &+ max(redisNanoseconds($0), 1) } ?? 0
}

private func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

/// Starts a detached thread running `body`; `false` if the system refused.
func redisStartThread(_ body: @escaping @Sendable () -> Void) -> Bool {
    final class Box { let body: @Sendable () -> Void; init(_ body: @escaping @Sendable () -> Void) { self.body = body } }
    let context = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let result = pthread_create(&thread, nil, { raw in
        let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
        box.body()
        return nil
    }, context)
    guard result == 0 else {
        Unmanaged<Box>.fromOpaque(context).release()
        return false
    }
    pthread_detach(thread)
    return true
}

/// A non-blocking pipe that wakes the I/O thread out of `poll`.
struct RedisWakePipe: Sendable {
    let readFD: Int32
    let writeFD: Int32

    init?() {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    func signal() {
        var byte: UInt8 = 1
        _ = Glibc.write(writeFD, &byte, 1)
    }

    func drain() {
        var scratch = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while withUnsafeMutableBytes(of: &scratch, { Glibc.read(readFD, $0.baseAddress, $0.count) }) > 0 {}
    }

    func close() {
        _ = Glibc.close(readFD)
        _ = Glibc.close(writeFD)
    }

    /// Sleeps until `deadline` (monotonic ns) or a wake-up; returns true when woken.
    func sleep(until deadline: UInt64) -> Bool {
        var entry = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        let now = redisNow()
        guard deadline > now else { return false }
        let result = poll(&entry, 1, Self.milliseconds(deadline - now))
        if result > 0 {
            drain()
            return true
        }
        return false
    }

    static func milliseconds(_ nanoseconds: UInt64) -> Int32 {
        Int32(clamping: (nanoseconds + 999_999) / 1_000_000)
    }
}

/// Readiness reported by `RedisSocket.wait`.
struct RedisReadiness {
    var readable = false
    var writable = false
    var woken = false
}

/// One non-blocking TCP socket.
struct RedisSocket {
    let fd: Int32

    enum IOResult {
        case transferred(Int)
        case wouldBlock
        case endOfStream
        case failed(String)
    }

    /// Resolves `host` and connects to the first address that accepts before `deadline`.
    /// A wake-up on `wake` aborts with `.closed` when `isClosing()` holds.
    static func connect(
        host: String, port: Int, deadline: UInt64, wake: RedisWakePipe, isClosing: () -> Bool
    ) -> Result<RedisSocket, RedisError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            return .failure(.connectFailed("cannot resolve \(host): \(String(cString: gai_strerror(status)))"))
        }
        defer { freeaddrinfo(first) }
        var lastError = "no address for \(host)"
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            cursor = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                lastError = errorText(errno)
                continue
            }
            configure(fd)
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                return .success(RedisSocket(fd: fd))
            }
            guard errno == EINPROGRESS else {
                lastError = errorText(errno)
                _ = Glibc.close(fd)
                continue
            }
            let socket = RedisSocket(fd: fd)
            while true {
                if isClosing() {
                    socket.close()
                    return .failure(.closed)
                }
                let now = redisNow()
                guard now < deadline else {
                    lastError = "connect timed out"
                    socket.close()
                    break
                }
                let ready = socket.wait(forWriting: true, wake: wake, timeout: deadline - now)
                if ready.woken { wake.drain() }
                guard ready.writable || ready.readable else { continue }
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                if error == 0 { return .success(socket) }
                lastError = errorText(error)
                socket.close()
                break
            }
        }
        return .failure(.connectFailed("\(host):\(port): \(lastError)"))
    }

    /// No Nagle delay; and a peer that vanished without a reset (host down, network cut) is
    /// detected within about 30 s even when idle: keepalive probes after 10 s of silence, every
    /// 5 s, 3 tries; written data unacknowledged for 30 s also breaks the connection.
    private static func configure(_ fd: Int32) {
        func set(_ level: Int32, _ option: Int32, _ value: Int32) {
            var value = value
            _ = setsockopt(fd, level, option, &value, socklen_t(MemoryLayout<Int32>.size))
        }
        set(Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        set(SOL_SOCKET, SO_KEEPALIVE, 1)
        #if os(Linux)
        set(Int32(IPPROTO_TCP), TCP_KEEPIDLE, 10)
        set(Int32(IPPROTO_TCP), TCP_KEEPINTVL, 5)
        set(Int32(IPPROTO_TCP), TCP_KEEPCNT, 3)
        set(Int32(IPPROTO_TCP), TCP_USER_TIMEOUT, 30_000)
        #endif
    }

    /// Waits for readability (and writability when asked), a wake-up, or `timeout` nanoseconds
    /// (`nil`: forever). Errors and hang-ups report as readable, so the next read sees them.
    func wait(forWriting: Bool, wake: RedisWakePipe, timeout: UInt64?) -> RedisReadiness {
        var entries = [
            pollfd(fd: fd, events: Int16(POLLIN) | (forWriting ? Int16(POLLOUT) : 0), revents: 0),
            pollfd(fd: wake.readFD, events: Int16(POLLIN), revents: 0),
        ]
        let milliseconds = timeout.map { RedisWakePipe.milliseconds($0) } ?? -1
        var readiness = RedisReadiness()
        guard poll(&entries, 2, milliseconds) > 0 else { return readiness }
        let events = entries[0].revents
        readiness.readable = events & (Int16(POLLIN) | Int16(POLLHUP) | Int16(POLLERR)) != 0
        readiness.writable = events & Int16(POLLOUT) != 0
        readiness.woken = entries[1].revents != 0
        return readiness
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count > 0 { return .transferred(count) }
            if count == 0 { return .endOfStream }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed(errorText(errno))
            }
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) -> IOResult {
        while true {
            let count = send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if count >= 0 { return .transferred(count) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed(errorText(errno))
            }
        }
    }

    func close() { _ = Glibc.close(fd) }
}
