// Shared by the server, router-hosting and client test targets.
import CWSKitShims
import Glibc
import WSKitProtocol

/// A deliberately simple blocking WebSocket client for tests: it writes exactly the bytes a test
/// gives it (so it can misbehave on purpose) and parses what the server sends back.
public final class RawClient {
    public struct Frame: Equatable {
        public var fin: Bool
        public var opcode: UInt8
        public var payload: [UInt8]
        /// The RSV bits in their first-byte positions (`0x40` is RSV1: compressed).
        public var rsv: UInt8
        public var text: String { String(decoding: payload, as: UTF8.self) }
        public init(fin: Bool, opcode: UInt8, payload: [UInt8], rsv: UInt8 = 0) {
            self.fin = fin
            self.opcode = opcode
            self.payload = payload
            self.rsv = rsv
        }

        public var closeCode: UInt16? {
            opcode == 0x8 && payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : nil
        }
    }

    public enum ClientError: Error { case connect(Int32), timeout, closed, badResponse(String) }

    public let fd: Int32
    private var buffer: [UInt8] = []

    /// Connects (blocking) to 127.0.0.1:port with a receive timeout.
    public init(port: Int, timeout: Double = 5) throws {
        let fd = cwskit_connect_tcp("127.0.0.1", Int32(port))
        guard fd >= 0 else { throw ClientError.connect(-fd) }
        // Back to blocking mode for simple tests.
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
        var pollfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard poll(&pollfd, 1, 5000) == 1 else { close(fd); throw ClientError.connect(ETIMEDOUT) }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        guard error == 0 else { close(fd); throw ClientError.connect(error) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        self.fd = fd
    }

    /// Wraps a connected blocking socket that the caller set up (for example with a small
    /// `SO_RCVBUF` set before connecting), with a receive timeout.
    public init(connected fd: Int32, timeout: Double = 5) {
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        self.fd = fd
    }

    /// A blocking TCP connection to 127.0.0.1:`port` whose receive buffer is set to
    /// `receiveBuffer` bytes before connecting, so the window it advertises stays that small
    /// (a client that stops reading then stops the sender within a few KiB).
    public static func connectBlocking(port: Int, receiveBuffer: Int32) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError.connect(errno) }
        var size = receiveBuffer
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let error = errno
            close(fd)
            throw ClientError.connect(error)
        }
        return fd
    }

    deinit { close(fd) }

    /// A blocking TCP connection to 127.0.0.1:`port`, as a descriptor the caller owns.
    public static func connectBlocking(port: Int) throws -> Int32 {
        let fd = cwskit_connect_tcp("127.0.0.1", Int32(port))
        guard fd >= 0 else { throw ClientError.connect(-fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        var pollfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard poll(&pollfd, 1, 5000) == 1 else { close(fd); throw ClientError.connect(ETIMEDOUT) }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        guard error == 0 else { close(fd); throw ClientError.connect(error) }
        return fd
    }

    /// Connects and completes a valid upgrade to `path`; returns the client. `timeout` bounds each
    /// read (seconds).
    public static func upgraded(port: Int, path: String = "/", headers: [String] = [], timeout: Double = 5) throws -> RawClient {
        let client = try RawClient(port: port, timeout: timeout)
        let response = try client.handshake(path: path, headers: headers)
        guard response.hasPrefix("HTTP/1.1 101") else { throw ClientError.badResponse(response) }
        return client
    }

    /// Sends an upgrade request and returns the response head (and body, if any) as text.
    public func handshake(path: String = "/", key: String = "dGhlIHNhbXBsZSBub25jZQ==", headers: [String] = []) throws -> String {
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n"
        for header in headers { request += header + "\r\n" }
        request += "\r\n"
        write(Array(request.utf8))
        return try readResponseHead()
    }

    /// Reads until the end of an HTTP response head, plus any body announced by Content-Length.
    public func readResponseHead() throws -> String {
        while true {
            if let end = find([13, 10, 13, 10]) {
                let head = String(decoding: buffer[..<(end + 4)], as: UTF8.self)
                var length = 0
                for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
                    length = Int(line.split(separator: ":")[1].trimmingCharacters()) ?? 0
                }
                while buffer.count < end + 4 + length { try fill() }
                let whole = String(decoding: buffer[..<(end + 4 + length)], as: UTF8.self)
                buffer.removeFirst(end + 4 + length)
                return whole
            }
            try fill()
        }
    }

    public func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Encodes and sends one client frame (masked unless `masked` is false).
    public func sendFrame(opcode: UInt8, payload: [UInt8], fin: Bool = true, masked: Bool = true, rsv: UInt8 = 0) {
        write(Self.encode(opcode: opcode, payload: payload, fin: fin, masked: masked, rsv: rsv))
    }

    public func sendText(_ text: String) { sendFrame(opcode: 0x1, payload: Array(text.utf8)) }

    public static func encode(opcode: UInt8, payload: [UInt8], fin: Bool = true, masked: Bool = true, rsv: UInt8 = 0) -> [UInt8] {
        var frame: [UInt8] = [(fin ? 0x80 : 0) | rsv | opcode]
        let maskBit: UInt8 = masked ? 0x80 : 0
        if payload.count < 126 {
            frame.append(maskBit | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            frame.append(maskBit | 126)
            frame += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            frame.append(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8((payload.count >> shift) & 0xFF)) }
        }
        if masked {
            let key: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
            frame += key
            for (index, byte) in payload.enumerated() { frame.append(byte ^ key[index & 3]) }
        } else {
            frame += payload
        }
        return frame
    }

    /// Reads one frame from the server.
    public func readFrame() throws -> Frame {
        while true {
            if buffer.count >= 2 {
                let fin = buffer[0] & 0x80 != 0
                let opcode = buffer[0] & 0x0F
                let rsv = buffer[0] & 0x70
                var length = Int(buffer[1] & 0x7F)
                var header = 2
                if length == 126, buffer.count >= 4 {
                    length = Int(buffer[2]) << 8 | Int(buffer[3])
                    header = 4
                } else if length == 127, buffer.count >= 10 {
                    length = buffer[2 ..< 10].reduce(0) { $0 << 8 | Int($1) }
                    header = 10
                } else if length >= 126 {
                    try fill()
                    continue
                }
                if buffer.count >= header + length {
                    let frame = Frame(fin: fin, opcode: opcode, payload: Array(buffer[header ..< header + length]), rsv: rsv)
                    buffer.removeFirst(header + length)
                    return frame
                }
            }
            try fill()
        }
    }

    /// Reads frames until a close frame; returns its code (nil for an empty close body).
    public func readUntilClose() throws -> Frame {
        while true {
            let frame = try readFrame()
            if frame.opcode == 0x8 { return frame }
        }
    }

    /// Whether the server closed the TCP connection (read returns 0) within the receive timeout.
    public func waitForEOF() -> Bool {
        var scratch = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return true }
            if n < 0 { return errno == ECONNRESET }
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 { throw ClientError.closed }
        if n < 0 { throw errno == EAGAIN || errno == EWOULDBLOCK ? ClientError.timeout : ClientError.closed }
        buffer += chunk[..<n]
    }

    private func find(_ pattern: [UInt8]) -> Int? {
        guard buffer.count >= pattern.count else { return nil }
        for index in 0 ... (buffer.count - pattern.count) where buffer[index] == pattern[0] {
            if Array(buffer[index ..< index + pattern.count]) == pattern { return index }
        }
        return nil
    }
}

extension Substring {
    public func trimmingCharacters() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
