import Glibc
import Synchronization
import Testing
import WSKitLiveFixtures
import WSKitProtocol
import WSKitServer

/// Clients that send as fast as they can and never read their replies (issue 18: 50-100 such
/// clients sending 64 KiB messages grew an echo server with 128 MiB per-connection limits by
/// gigabytes). The server stops reading a connection whose unsent bytes reach
/// `readPauseThreshold`, so TCP flow control holds such a client back.
@Suite("Read backpressure: a client that never reads is not read either")
struct ReadBackpressureTests {
    /// The most one echo connection can hold: the threshold, plus the replies to what one read
    /// returned (at most `readBufferSize` bytes, or the last piece of one message of up to
    /// `maxMessageSize`, with a 14-byte frame header per message).
    static func bound(_ configuration: ServerConfiguration) -> Int {
        configuration.readPauseThreshold + configuration.readBufferSize + configuration.limits.maxMessageSize + 14
    }

    @Test("20 clients flooding 64 KiB messages: buffered bytes and memory stay bounded, echo works")
    func nonReadingFloodIsBounded() async throws {
        try await runBlocking {
            var configuration = testConfiguration()
            // The echo server's limits (`conformance`): without read backpressure each of these
            // connections would buffer up to 128 MiB of replies.
            configuration.limits = WebSocketLimits(maxFrameSize: 64 << 20, maxMessageSize: 64 << 10)
            configuration.maxBufferedBytes = 128 << 20
            let maxBuffered = Atomic<Int>(0)
            let behavior = WebSocketBehavior<Void>(initial: ()) { ws, message in
                ws.send(message)
                maxBuffered.max(ws.bufferedAmount)
            }
            try withServer(configuration, behavior) { _, port throws in
                let flooders = try (0 ..< 20).map { _ in try RawClient.upgraded(port: port) }
                for client in flooders {
                    var size: Int32 = 4096
                    setsockopt(client.fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
                    _ = fcntl(client.fd, F_SETFL, fcntl(client.fd, F_GETFL) | O_NONBLOCK)
                }
                let frame = RawClient.encode(opcode: 0x2, payload: [UInt8](repeating: 0x5A, count: 64 << 10))
                let rssBefore = residentKilobytes()
                var offsets = [Int](repeating: 0, count: flooders.count)
                var sent = 0
                let end = monotonicSeconds() + 2
                var echoes = 0
                let reader = try RawClient.upgraded(port: port)
                while monotonicSeconds() < end {
                    var progressed = false
                    for (index, client) in flooders.enumerated() {
                        let n = frame[offsets[index]...].withUnsafeBytes {
                            Glibc.send(client.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
                        }
                        guard n > 0 else { continue }
                        progressed = true
                        sent += n
                        offsets[index] = (offsets[index] + n) % frame.count
                    }
                    // The well-behaved client: its echo keeps working meanwhile.
                    if sent > (echoes + 1) * (8 << 20) {
                        reader.sendFrame(opcode: 0x2, payload: [1, 2, 3])
                        #expect(try reader.readFrame().payload == [1, 2, 3])
                        echoes += 1
                    }
                    if !progressed { usleep(1_000) }
                }
                let rssGrowth = residentKilobytes() - rssBefore
                // Far more was offered than is allowed to be held, so the bound was exercised.
                #expect(sent > 20 * Self.bound(configuration))
                #expect(echoes > 0)
                #expect(maxBuffered.load(ordering: .relaxed) <= Self.bound(configuration))
                // 20 connections at the bound is under 10 MiB; without backpressure: gigabytes.
                // Not under AddressSanitizer, whose quarantine keeps freed memory resident.
                if !underAddressSanitizer {
                    #expect(rssGrowth < 64 << 10, "server RSS grew by \(rssGrowth) KiB")
                }
                reader.sendFrame(opcode: 0x2, payload: [4])
                #expect(try reader.readFrame().payload == [4])
            }
        }
    }

    @Test("a paused connection is not read until its replies are read, then is read again")
    func readingResumes() async throws {
        try await runBlocking {
            var configuration = testConfiguration()
            configuration.readPauseThreshold = 16 << 10
            configuration.limits = WebSocketLimits(maxFrameSize: 1 << 20, maxMessageSize: 1 << 20)
            configuration.maxBufferedBytes = 64 << 20
            let received = Atomic<Int>(0)
            let behavior = WebSocketBehavior<Void>(initial: ()) { ws, message in
                received.add(1, ordering: .relaxed)
                ws.send(message)
            }
            try withServer(configuration, behavior) { _, port throws in
                let client = try RawClient.upgraded(port: port, timeout: 10)
                var size: Int32 = 64 << 10
                setsockopt(client.fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
                let payload = [UInt8](repeating: 9, count: 64 << 10)
                let frame = RawClient.encode(opcode: 0x2, payload: payload)
                // 32 MiB, far more than the socket buffers of both ends hold, written from
                // another thread: the writes block once the server stops reading.
                let count = 512
                nonisolated(unsafe) let writingClient = client
                let writer = Thread { for _ in 0 ..< count { writingClient.write(frame) } }
                // While the client reads nothing, the server stops reading too.
                var settled = -1
                for _ in 0 ..< 50 {
                    usleep(20_000)
                    let now = received.load(ordering: .relaxed)
                    if now == settled { break }
                    settled = now
                }
                #expect(settled < count)
                // Reading the replies lets the server read again, up to the last message.
                for _ in 0 ..< count { #expect(try client.readFrame().payload == payload) }
                writer.join()
                #expect(received.load(ordering: .relaxed) == count)
            }
        }
    }
}

/// Whether this process runs under AddressSanitizer (its runtime is linked in).
let underAddressSanitizer = dlsym(nil, "__asan_init") != nil  // nil: RTLD_DEFAULT

/// This process's resident set in KiB (`VmRSS`).
func residentKilobytes() -> Int {
    guard let file = fopen("/proc/self/status", "r") else { return 0 }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, Int32(line.count), file) != nil {
        let text = line.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        if text.hasPrefix("VmRSS:") { return Int(text.split(separator: " ")[1]) ?? 0 }
    }
    return 0
}
