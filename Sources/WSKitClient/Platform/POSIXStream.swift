#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import WSKitProtocol

/// One connection of `POSIXTransport`: a non-blocking socket, a wake-up pipe and the I/O thread
/// that polls both and drives the handler.
final class POSIXStream: ClientStream, @unchecked Sendable {
    /// Set by `abort()`, read by the I/O thread.
    private let aborted = Locked(false)
    /// The wake-up pipe. Closed in `deinit` only, so that `wake()` can never write into a
    /// descriptor the process has reused.
    private let wakeReader: Int32
    private let wakeWriter: Int32
    private let readBufferSize: Int

    init(readBufferSize: Int) {
        self.readBufferSize = readBufferSize
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            POSIXSocket.setNonBlocking(fds[0])
            POSIXSocket.setNonBlocking(fds[1])
        }
        wakeReader = fds[0]
        wakeWriter = fds[1]
    }

    deinit {
        if wakeReader >= 0 { close(wakeReader) }
        if wakeWriter >= 0 { close(wakeWriter) }
    }

    func wake() {
        guard wakeWriter >= 0 else { return }
        var byte: UInt8 = 1
        // A full pipe is already readable: EAGAIN is fine.
        _ = writeWakeByte(wakeWriter, &byte)
    }

    func abort() {
        aborted.withLock { $0 = true }
        wake()
    }

    private var isAborted: Bool { aborted.withLock { $0 } }

    func start(_ endpoint: ClientEndpoint, connectTimeout: Duration, handler: any ClientStreamHandler) {
        guard wakeReader >= 0 else {
            handler.streamClosed(.connectFailed(.system(call: "pipe", errno: errno)))
            return
        }
        let result = IOThread.start { [self] in
            run(endpoint, connectTimeout: connectTimeout, handler: handler)
        }
        if result != 0 {
            handler.streamClosed(.connectFailed(.system(call: "pthread_create", errno: result)))
        }
    }

    // MARK: The I/O thread

    private func run(_ endpoint: ClientEndpoint, connectTimeout: Duration, handler: any ClientStreamHandler) {
        if endpoint.secure {
            handler.streamClosed(.connectFailed(.unsupported(
                "wss:// needs a TLS transport; POSIXTransport speaks plain TCP")))
            return
        }
        let deadline = PlatformClock.monotonicNanoseconds() &+ PlatformClock.nanoseconds(connectTimeout)
        let fd: Int32
        switch connect(endpoint, deadline: deadline) {
        case .connected(let connected): fd = connected
        case .ended(let end):
            handler.streamClosed(end)
            return
        }
        let end = drive(fd, handler: handler)
        close(fd)
        handler.streamClosed(end)
    }

    private enum Connect { case connected(Int32), ended(ClientStreamEnd) }

    /// Resolves and connects, trying each address in turn until `deadline`.
    private func connect(_ endpoint: ClientEndpoint, deadline: UInt64) -> Connect {
        let addresses: [POSIXSocket.Address]
        switch POSIXSocket.resolve(host: endpoint.host, port: endpoint.port) {
        case .success(let resolved): addresses = resolved
        case .failure(let error): return .ended(.connectFailed(error))
        }
        var lastError: Int32 = ECONNREFUSED
        for address in addresses {
            if isAborted { return .ended(.aborted) }
            let fd = POSIXSocket.makeSocket(family: address.family)
            guard fd >= 0 else {
                lastError = -fd
                continue
            }
            var status = POSIXSocket.startConnect(fd, to: address)
            if status == EINPROGRESS {
                switch waitWritable(fd, deadline: deadline) {
                case .ready: status = POSIXSocket.pendingError(fd)
                case .timedOut:
                    close(fd)
                    return .ended(.connectFailed(.timeout))
                case .aborted:
                    close(fd)
                    return .ended(.aborted)
                }
            }
            if status == 0 {
                POSIXSocket.setNoDelay(fd)
                return .connected(fd)
            }
            lastError = status
            close(fd)
            if PlatformClock.monotonicNanoseconds() >= deadline { return .ended(.connectFailed(.timeout)) }
        }
        return .ended(.connectFailed(.connect(errno: lastError)))
    }

    private enum Wait { case ready, timedOut, aborted }

    private func waitWritable(_ fd: Int32, deadline: UInt64) -> Wait {
        while true {
            if isAborted { return .aborted }
            let now = PlatformClock.monotonicNanoseconds()
            guard now < deadline else { return .timedOut }
            var fds = [
                pollfd(fd: fd, events: Int16(POLLOUT), revents: 0),
                pollfd(fd: wakeReader, events: Int16(POLLIN), revents: 0),
            ]
            let result = poll(&fds, 2, Self.milliseconds(until: deadline, now: now))
            if result < 0 && errno != EINTR { return .ready }
            if fds[1].revents != 0 { drainWakePipe() }
            if fds[0].revents != 0 { return .ready }
        }
    }

    /// The connected loop: flush, poll, read, service, until the handler or the peer ends it.
    private func drive(_ fd: Int32, handler: any ClientStreamHandler) -> ClientStreamEnd {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readBufferSize, alignment: 16)
        defer { buffer.deallocate() }
        var output = OutputBuffer(capacity: 4096)
        /// Set by `.finish`: stop feeding the handler and wait for the peer's end of stream.
        var lingerDeadline: UInt64?

        /// Applies a directive; returns true when the stream must close now.
        func apply(_ directive: ClientStreamDirective) -> Bool {
            switch directive {
            case .proceed: return false
            case .finish(let deadline):
                lingerDeadline = min(lingerDeadline ?? deadline, deadline)
                return false
            case .close:
                _ = flush(fd, &output)
                return true
            }
        }

        if apply(handler.streamConnected(now: PlatformClock.monotonicNanoseconds(), output: &output)) { return .closed }
        // One pollfd array for the connection's life, not one per wake-up.
        var fds = [pollfd(fd: fd, events: 0, revents: 0), pollfd(fd: wakeReader, events: Int16(POLLIN), revents: 0)]
        while true {
            if isAborted { return .aborted }
            if case .failed(let code) = flush(fd, &output) {
                return lingerDeadline == nil ? .failed(.io(errno: code)) : .closed
            }
            let now = PlatformClock.monotonicNanoseconds()
            let deadline = lingerDeadline ?? handler.streamDeadline
            if let lingerDeadline, now >= lingerDeadline { return .closed }
            fds[0].events = Int16(POLLIN) | (output.isEmpty ? 0 : Int16(POLLOUT))
            fds[0].revents = 0
            fds[1].revents = 0
            let timeout = deadline.map { Self.milliseconds(until: $0, now: now) } ?? -1
            let ready = poll(&fds, 2, timeout)
            if ready < 0 && errno != EINTR { return .failed(.io(errno: errno)) }
            if isAborted { return .aborted }
            var now2 = PlatformClock.monotonicNanoseconds()
            if fds[0].revents & Int16(POLLNVAL) != 0 || fds[1].revents & Int16(POLLNVAL) != 0 {
                return .failed(.io(errno: EBADF))
            }
            if fds[1].revents != 0 {
                drainWakePipe()
                if lingerDeadline == nil, apply(handler.streamService(now: now2, output: &output)) { return .closed }
            }
            if fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                let count = POSIXSocket.read(fd, into: buffer)
                if count == 0 { return lingerDeadline == nil ? .peerClosed : .closed }
                if count < 0 {
                    let code = Int32(-count)
                    if code != EAGAIN && code != EWOULDBLOCK {
                        return lingerDeadline == nil ? .failed(.io(errno: code)) : .closed
                    }
                } else if lingerDeadline == nil {
                    now2 = PlatformClock.monotonicNanoseconds()
                    let bytes = UnsafeMutableRawBufferPointer(rebasing: buffer[0 ..< count])
                    if apply(handler.streamReceived(bytes, now: now2, output: &output)) { return .closed }
                }
            }
            if lingerDeadline == nil, let due = handler.streamDeadline {
                now2 = PlatformClock.monotonicNanoseconds()
                if now2 >= due, apply(handler.streamService(now: now2, output: &output)) { return .closed }
            }
        }
    }

    private enum Flush { case done, failed(Int32) }

    /// Writes until the output is empty or the socket is full.
    private func flush(_ fd: Int32, _ output: inout OutputBuffer) -> Flush {
        while !output.isEmpty {
            let written = output.withUnsafeReadableBytes { POSIXSocket.write(fd, $0) }
            if written > 0 {
                output.consume(written)
            } else if written == -Int(EAGAIN) || written == -Int(EWOULDBLOCK) {
                return .done
            } else if written < 0 {
                return .failed(Int32(-written))
            } else {
                return .done
            }
        }
        return .done
    }

    private func drainWakePipe() {
        var scratch = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while withUnsafeMutableBytes(of: &scratch, { read(wakeReader, $0.baseAddress, $0.count) }) > 0 {}
    }

    /// Milliseconds to wait in `poll` until `deadline`, rounded up, capped at one minute.
    private static func milliseconds(until deadline: UInt64, now: UInt64) -> Int32 {
        guard deadline > now else { return 0 }
        let milliseconds = (deadline - now + 999_999) / 1_000_000
        return Int32(min(milliseconds, 60_000))
    }
}

/// `write(2)` of the wake-up byte.
@inline(__always)
private func writeWakeByte(_ fd: Int32, _ byte: UnsafeMutablePointer<UInt8>) -> Int {
    write(fd, byte, 1)
}
