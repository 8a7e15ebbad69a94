import CWSKitShims
import Glibc
import WSKitServer

/// A blocking TLS WebSocket client for server tests: a TCP socket to 127.0.0.1 with a
/// `TLSSession` on it, and the frame helpers of `RawClient`. It also counts the TLS records it
/// receives (their headers are in clear), so tests can see how the server batches its output.
public final class TLSRawClient {
    /// Why a TLS test client failed.
    public enum ClientError: Error { case connect(Int32), timeout, closed, tls(TLSError), badResponse(String) }

    public let fd: Int32
    public let session: TLSSession
    private var plaintext: [UInt8] = []
    private var ciphertext = [UInt8](repeating: 0, count: 64 * 1024)
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 16)
    /// Application-data records received so far.
    public private(set) var applicationRecords = 0
    /// Bytes of the current record still to come, and the partial header being read.
    private var recordRemaining = 0
    private var header: [UInt8] = []

    /// Connects to 127.0.0.1:`port` and completes the TLS handshake for `serverName`.
    public init(port: Int, context: TLSClientContext, serverName: String = "localhost", timeout: Double = 5) throws {
        let fd = cwskit_connect_tcp("127.0.0.1", Int32(port))
        guard fd >= 0 else { throw ClientError.connect(-fd) }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
        var pollfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard poll(&pollfd, 1, 5000) == 1 else { close(fd); throw ClientError.connect(ETIMEDOUT) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        self.fd = fd
        do {
            session = try context.makeSession(host: serverName)
            try session.start()
        } catch {
            close(fd)
            throw ClientError.tls(error)
        }
        try flush()
        while !session.isHandshakeComplete { try fill() }
    }

    deinit {
        close(fd)
        scratch.deallocate()
    }

    /// A client context trusting only `ca`.
    public static func context(trusting ca: String) throws -> TLSClientContext {
        try TLSClientContext(configuration: TLSClientConfiguration(trustRoots: .certificates(.file(ca))))
    }

    /// Connects, completes TLS and a valid upgrade to `path`.
    public static func upgraded(port: Int, context: TLSClientContext, serverName: String = "localhost", path: String = "/") throws -> TLSRawClient {
        let client = try TLSRawClient(port: port, context: context, serverName: serverName)
        let response = try client.upgrade(path: path)
        guard response.hasPrefix("HTTP/1.1 101") else { throw ClientError.badResponse(response) }
        return client
    }

    /// Sends an upgrade request and returns the response head.
    public func upgrade(path: String = "/") throws -> String {
        let request = "GET \(path) HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        try write(Array(request.utf8))
        while true {
            if let end = plaintext.indices.dropLast(3).first(where: { plaintext[$0] == 13 && plaintext[$0 + 1] == 10 && plaintext[$0 + 2] == 13 && plaintext[$0 + 3] == 10 }) {
                let head = String(decoding: plaintext[..<(end + 4)], as: UTF8.self)
                plaintext.removeFirst(end + 4)
                return head
            }
            try fill()
        }
    }

    /// Encrypts and sends `bytes`.
    public func write(_ bytes: [UInt8]) throws {
        do { try bytes.withUnsafeBytes { try session.write($0) } } catch { throw ClientError.tls(error as? TLSError ?? .protocolError("\(error)")) }
        try flush()
    }

    /// Sends a masked text frame.
    public func sendText(_ text: String) throws {
        try write(RawClient.encode(opcode: 0x1, payload: Array(text.utf8)))
    }

    /// Reads one frame from the server.
    public func readFrame() throws -> RawClient.Frame {
        while true {
            if plaintext.count >= 2 {
                let fin = plaintext[0] & 0x80 != 0
                let opcode = plaintext[0] & 0x0F
                var length = Int(plaintext[1] & 0x7F)
                var headerLength = 2
                if length == 126, plaintext.count >= 4 {
                    length = Int(plaintext[2]) << 8 | Int(plaintext[3])
                    headerLength = 4
                } else if length == 127, plaintext.count >= 10 {
                    length = plaintext[2 ..< 10].reduce(0) { $0 << 8 | Int($1) }
                    headerLength = 10
                } else if length >= 126 {
                    try fill()
                    continue
                }
                if plaintext.count >= headerLength + length {
                    let frame = RawClient.Frame(fin: fin, opcode: opcode, payload: Array(plaintext[headerLength ..< headerLength + length]))
                    plaintext.removeFirst(headerLength + length)
                    return frame
                }
            }
            try fill()
        }
    }

    private func flush() throws {
        while session.hasPendingOutput {
            let sent = session.withPendingOutput { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw ClientError.closed }
            session.consumeOutput(sent)
        }
    }

    /// Reads once from the socket and decrypts what came.
    private func fill() throws {
        let n = ciphertext.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 { throw ClientError.closed }
        if n < 0 { throw errno == EAGAIN || errno == EWOULDBLOCK ? ClientError.timeout : ClientError.closed }
        countRecords(ciphertext[0 ..< n])
        do {
            _ = try ciphertext.withUnsafeBytes { raw in
                try session.receive(UnsafeRawBufferPointer(rebasing: raw[0 ..< n]), plaintext: scratch) { chunk in
                    plaintext.append(contentsOf: chunk)
                    return true
                }
            }
        } catch {
            try? flush()
            throw ClientError.tls(error as? TLSError ?? .protocolError("\(error)"))
        }
        try flush()
    }

    private func countRecords(_ bytes: ArraySlice<UInt8>) {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if recordRemaining > 0 {
                let take = min(recordRemaining, bytes.endIndex - index)
                recordRemaining -= take
                index += take
                continue
            }
            header.append(bytes[index])
            index += 1
            if header.count == 5 {
                if header[0] == 0x17 { applicationRecords += 1 }
                recordRemaining = Int(header[3]) << 8 | Int(header[4])
                header.removeAll()
            }
        }
    }
}
