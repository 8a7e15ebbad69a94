import CWSKitShims
import Glibc
import Synchronization

/// A TCP relay on 127.0.0.1 between a WebSocket client and a server that reads the frames going
/// by: which were data frames and which carried RSV1 (permessage-deflate's "compressed"), in each
/// direction. Interop tests put it in front of a server to prove that compression was used on
/// the wire, whatever the client (Chromium, Python) reports about itself.
public final class FrameTap: Sendable {
    /// Frames seen in one direction.
    public struct Counts: Sendable, Equatable {
        /// Text, binary and continuation frames.
        public var dataFrames = 0
        /// First frames of data messages with RSV1 set.
        public var compressedFrames = 0
    }

    /// The port clients connect to.
    public let port: Int
    private let upstreamPort: Int
    private let listener: Int32
    private let counts = Mutex<(toServer: Counts, toClient: Counts)>((Counts(), Counts()))

    /// Starts relaying connections on a free port to 127.0.0.1:`upstreamPort`.
    public init(upstreamPort: Int) throws {
        let fd = cwskit_listen_tcp("127.0.0.1", 0, 64, 0)
        guard fd >= 0 else { throw ChildProcess.Failure("FrameTap: cannot listen") }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        listener = fd
        port = Int(cwskit_local_port(fd))
        self.upstreamPort = upstreamPort
        let tap = self
        spawnThread { tap.acceptLoop() }
    }

    deinit { stop() }

    /// Frames the clients sent.
    public var toServer: Counts { counts.withLock { $0.toServer } }
    /// Frames the server sent.
    public var toClient: Counts { counts.withLock { $0.toClient } }

    /// Stops accepting (relays already running end with their connections).
    public func stop() { shutdown(listener, Int32(SHUT_RDWR)) }

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                if errno == EINTR { continue }
                return
            }
            _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) & ~O_NONBLOCK)
            guard let server = try? RawClient.connectBlocking(port: upstreamPort) else {
                close(client)
                continue
            }
            let tap = self
            // The second pump to finish closes both descriptors.
            let finished = Pumps()
            let clientFD = client, serverFD = server
            spawnThread {
                tap.pump(from: clientFD, to: serverFD, toServer: true)
                if finished.count.add(1, ordering: .acquiringAndReleasing).newValue == 2 { close(clientFD); close(serverFD) }
            }
            spawnThread {
                tap.pump(from: serverFD, to: clientFD, toServer: false)
                if finished.count.add(1, ordering: .acquiringAndReleasing).newValue == 2 { close(clientFD); close(serverFD) }
            }
        }
    }

    private func pump(from source: Int32, to destination: Int32, toServer: Bool) {
        var scanner = FrameScanner(isRequest: toServer)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            let relayed = buffer.withUnsafeBytes { bytes -> Bool in
                let chunk = UnsafeRawBufferPointer(rebasing: bytes[0 ..< count])
                let found = scanner.scan(chunk)
                if found.dataFrames > 0 {
                    counts.withLock { all in
                        if toServer {
                            all.toServer.dataFrames += found.dataFrames
                            all.toServer.compressedFrames += found.compressedFrames
                        } else {
                            all.toClient.dataFrames += found.dataFrames
                            all.toClient.compressedFrames += found.compressedFrames
                        }
                    }
                }
                var offset = 0
                while offset < count {
                    let written = send(destination, chunk.baseAddress! + offset, count - offset, Int32(MSG_NOSIGNAL))
                    if written < 0 && errno == EINTR { continue }
                    guard written > 0 else { return false }
                    offset += written
                }
                return true
            }
            guard relayed else { break }
        }
        shutdown(destination, Int32(SHUT_WR))
    }

    /// How many of a connection's two pumps have finished.
    private final class Pumps: Sendable {
        let count = Atomic<Int>(0)
    }
}

/// Reads one direction of a connection: the HTTP head, then (after an upgrade) frame headers,
/// skipping payloads.
struct FrameScanner {
    let isRequest: Bool
    private var head: [UInt8] = []
    private var inHead = true
    private var framing = false
    private var header: [UInt8] = []
    private var skip = 0

    init(isRequest: Bool) { self.isRequest = isRequest }

    mutating func scan(_ bytes: UnsafeRawBufferPointer) -> FrameTap.Counts {
        var found = FrameTap.Counts()
        var index = 0
        while index < bytes.count {
            if inHead {
                head.append(bytes[index])
                index += 1
                if head.count >= 4 && head.suffix(4).elementsEqual([13, 10, 13, 10]) {
                    inHead = false
                    let text = String(decoding: head, as: UTF8.self).lowercased()
                    framing = isRequest ? text.contains("upgrade: websocket") : text.hasPrefix("http/1.1 101")
                }
                continue
            }
            guard framing else { return found }
            if skip > 0 {
                let n = min(skip, bytes.count - index)
                skip -= n
                index += n
                continue
            }
            header.append(bytes[index])
            index += 1
            guard header.count >= 2 else { continue }
            let lengthField = Int(header[1] & 0x7F)
            let size = 2 + (lengthField == 126 ? 2 : lengthField == 127 ? 8 : 0) + (header[1] & 0x80 != 0 ? 4 : 0)
            guard header.count == size else { continue }
            var length = lengthField
            if lengthField == 126 { length = Int(header[2]) << 8 | Int(header[3]) }
            if lengthField == 127 { length = header[2 ..< 10].reduce(0) { $0 << 8 | Int($1) } }
            let opcode = header[0] & 0x0F
            if opcode < 3 {
                found.dataFrames += 1
                if header[0] & 0x40 != 0 && opcode != 0 { found.compressedFrames += 1 }
            }
            header.removeAll()
            skip = length
        }
        return found
    }
}

/// Runs `body` on a new detached thread.
func spawnThread(_ body: @escaping @Sendable () -> Void) {
    final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(&thread, nil, { raw in
        let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
        box.body()
        return nil
    }, box)
    if status == 0 {
        pthread_detach(thread)
    } else {
        Unmanaged<Box>.fromOpaque(box).release()
    }
}
