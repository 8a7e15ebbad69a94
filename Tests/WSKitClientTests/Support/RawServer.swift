#if canImport(Glibc)
import WSKitLiveFixtures
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WSKitProtocol
@testable import WSKitClient

/// A hand-written TCP server for misbehaving peers: it answers the upgrade (correctly, with a
/// wrong `Sec-WebSocket-Accept`, or not at all) and then stays silent — no pongs, no close.
final class RawServer: Sendable {
    enum Mode: Sendable {
        /// A valid 101, then silence (a dead server for heartbeat tests).
        case silentAfterHandshake
        /// The first connection as `silentAfterHandshake`; every later one is kept alive by an
        /// unsolicited pong every 50 ms (so the client's heartbeat never times out on it), but
        /// its close is never answered either. For reconnect tests, whose reconnected connection
        /// must not be dropped by a second heartbeat timeout however slowly the test runs.
        case silentOnceThenAlive
        /// A 101 whose `Sec-WebSocket-Accept` does not match the key.
        case wrongAccept
        /// Never answers the upgrade request.
        case neverAnswer
        /// A 101 accepting permessage-deflate with a parameter no answer may carry (a bare
        /// `client_max_window_bits`), then silence.
        case invalidDeflateAnswer
    }

    let port: Int
    let accepted = Recorder<Int32>()
    private let listener: Int32

    init(mode: Mode) throws {
        let fd = socket(AF_INET, POSIXSocket.streamType, 0)
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { throw TransportError.system(call: "bind/listen", errno: errno) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        let accepted = self.accepted
        let stopped = self.stopped
        // The accept thread owns the listening descriptor and closes it on its way out; `stop()`
        // only shuts it down (which fails a pending or later `accept`). Were `stop()` to close it,
        // a thread not yet in `accept` could accept on whatever socket of another test the process
        // opened meanwhile under the same number.
        _ = IOThread.start {
            defer { close(fd) }
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                // Registered under the stop lock, so that `stop()` closes it exactly once.
                let open = stopped.withLock { stopped -> Bool in
                    if !stopped { accepted.append(client) }
                    return !stopped
                }
                guard open else {
                    close(client)
                    return
                }
                RawServer.answer(client, mode: mode)
                if mode == .silentOnceThenAlive && accepted.count > 1 {
                    RawServer.keepAlive(client, stopped: stopped)
                }
            }
        }
    }

    private let stopped = Locked(false)

    /// Stops accepting (the accept thread then closes the listener) and closes every accepted
    /// connection. Idempotent: closing a descriptor twice could close one the process has reused
    /// meanwhile.
    func stop() {
        let first = stopped.withLock { stopped -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        for fd in accepted.all { close(fd) }
    }

    deinit { stop() }

    /// Sends an empty unmasked pong every 50 ms until the client goes away or the server stops.
    /// Writes under the stop lock: once `stop()` has closed the descriptor it is never touched
    /// again (the process may have reused it).
    private static func keepAlive(_ fd: Int32, stopped: Locked<Bool>) {
        _ = IOThread.start {
            let pong: [UInt8] = [0x8A, 0x00]
            while true {
                usleep(50_000)
                let alive = stopped.withLock { stopped -> Bool in
                    guard !stopped else { return false }
                    return pong.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, POSIXSocket.writeFlags) } == pong.count
                }
                guard alive else { return }
            }
        }
    }

    private static func answer(_ fd: Int32, mode: Mode) {
        guard mode != .neverAnswer else { return }
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !request.ends(with: Array("\r\n\r\n".utf8)) {
            let count = read(fd, &buffer, buffer.count)
            guard count > 0 else { return }
            request += buffer[0 ..< count]
        }
        let text = String(decoding: request, as: UTF8.self)
        let keyLine = text.split(separator: "\r\n").first { $0.lowercased().hasPrefix("sec-websocket-key:") }
        let key = keyLine.map { String($0.dropFirst("sec-websocket-key:".count)).trimmingSpaces } ?? ""
        let accept = mode == .wrongAccept
            ? WebSocketHandshake.acceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ==")
            : WebSocketHandshake.acceptValue(forKey: key)
        let response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: \(accept)\r\n"
            + (mode == .invalidDeflateAnswer ? "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n" : "")
            + "\r\n"
        _ = Array(response.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}

extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars = scalars.dropFirst() }
        while scalars.last == " " { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
