#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over the BSD socket calls the POSIX transport needs, hiding the differences
/// between Glibc, Musl and Darwin.
enum POSIXSocket {
    /// One resolved address.
    struct Address {
        var storage = sockaddr_storage()
        var length: socklen_t = 0
        var family: Int32 = 0
    }

    #if canImport(Glibc)
    static let streamType = Int32(SOCK_STREAM.rawValue)
    static let tcpProtocol = Int32(IPPROTO_TCP)
    static let writeFlags = Int32(MSG_NOSIGNAL)
    #elseif canImport(Musl)
    static let streamType = Int32(SOCK_STREAM)
    static let tcpProtocol = Int32(IPPROTO_TCP)
    static let writeFlags = Int32(MSG_NOSIGNAL)
    #else
    static let streamType = SOCK_STREAM
    static let tcpProtocol = IPPROTO_TCP
    static let writeFlags: Int32 = 0
    #endif

    /// The addresses of `host:port`, in the resolver's order of preference.
    static func resolve(host: String, port: Int) -> Result<[Address], TransportError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = streamType
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            let reason = gai_strerror(status).map { String(cString: $0) } ?? "error \(status)"
            return .failure(.resolve(host: host, reason: reason))
        }
        defer { freeaddrinfo(list) }
        var addresses: [Address] = []
        var cursor = list
        while let info = cursor {
            if let source = info.pointee.ai_addr,
               Int(info.pointee.ai_addrlen) <= MemoryLayout<sockaddr_storage>.size {
                var address = Address()
                address.family = info.pointee.ai_family
                address.length = info.pointee.ai_addrlen
                withUnsafeMutableBytes(of: &address.storage) { target in
                    target.copyMemory(from: UnsafeRawBufferPointer(start: source, count: Int(info.pointee.ai_addrlen)))
                }
                addresses.append(address)
            }
            cursor = info.pointee.ai_next
        }
        guard !addresses.isEmpty else { return .failure(.resolve(host: host, reason: "no address")) }
        return .success(addresses)
    }

    /// A non-blocking, close-on-exec stream socket, or `-errno`.
    static func makeSocket(family: Int32) -> Int32 {
        let fd = socket(family, streamType, 0)
        guard fd >= 0 else { return -errno }
        setNonBlocking(fd)
        #if canImport(Darwin)
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
        #endif
        return fd
    }

    /// Sets `O_NONBLOCK` and `FD_CLOEXEC`.
    static func setNonBlocking(_ fd: Int32) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC)
    }

    /// Starts a connect: 0 when connected at once, `EINPROGRESS` while pending, else the errno.
    static func startConnect(_ fd: Int32, to address: Address) -> Int32 {
        var storage = address.storage
        let result = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, address.length) }
        }
        return result == 0 ? 0 : errno
    }

    /// The pending error of a socket whose connect completed (0: connected).
    static func pendingError(_ fd: Int32) -> Int32 {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else { return errno }
        return error
    }

    /// Disables Nagle's algorithm: frames are small and already batched.
    static func setNoDelay(_ fd: Int32) {
        var on: Int32 = 1
        setsockopt(fd, tcpProtocol, TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Writes as much of `bytes` as the socket takes: the count, or `-errno` (`-EAGAIN` when full).
    static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return 0 }
        while true {
            let written = send(fd, base, bytes.count, writeFlags)
            if written >= 0 { return written }
            if errno == EINTR { continue }
            return -Int(errno)
        }
    }

    /// Reads into `buffer`: the count (0 at end of stream), or `-errno`.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        while true {
            let count = recv(fd, buffer.baseAddress, buffer.count, 0)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            return -Int(errno)
        }
    }
}
