import Glibc
import Synchronization
import Testing
import WSKitLiveFixtures
import WSKitProtocol
import WSKitServer

@Suite("Abuse: bad input gets the right close code and bounded resources")
struct AbuseTests {
    @Test("a frame larger than maxFrameSize is refused with 1009 before its payload arrives")
    func oversizedFrame() async throws {
        try await runBlocking {
            var configuration = testConfiguration()
            configuration.limits = WebSocketLimits(maxFrameSize: 1024, maxMessageSize: 4096)
            try withServer(configuration, echoBehavior()) { _, port throws in
                let client = try RawClient.upgraded(port: port)
                // Header announcing 1 MiB, and no payload at all.
                client.write([0x82, 0xFF, 0, 0, 0, 0, 0, 0x10, 0, 0, 1, 2, 3, 4])
                #expect(try client.readUntilClose().closeCode == 1009)
                #expect(client.waitForEOF())
            }
        }
    }

    @Test("a fragmented message over maxMessageSize is refused with 1009")
    func oversizedMessage() async throws {
        try await runBlocking {
            var configuration = testConfiguration()
            configuration.limits = WebSocketLimits(maxFrameSize: 1024, maxMessageSize: 2048)
            try withServer(configuration, echoBehavior()) { _, port throws in
                let client = try RawClient.upgraded(port: port)
                for index in 0 ..< 3 {
                    client.sendFrame(opcode: index == 0 ? 0x2 : 0x0, payload: [UInt8](repeating: 1, count: 1000), fin: false)
                }
                #expect(try client.readUntilClose().closeCode == 1009)
            }
        }
    }

    @Test("an unmasked client frame is a protocol error: 1002")
    func unmaskedFrame() async throws {
        try await runBlocking {
            try withServer(echoBehavior()) { _, port throws in
                let client = try RawClient.upgraded(port: port)
                client.sendFrame(opcode: 0x1, payload: Array("plain".utf8), masked: false)
                #expect(try client.readUntilClose().closeCode == 1002)
                #expect(client.waitForEOF())
            }
        }
    }

    @Test("invalid UTF-8 in a text message closes with 1007 and never reaches the handler")
    func invalidUTF8() async throws {
        try await runBlocking {
            let messages = Recorder<String>()
            let behavior = WebSocketBehavior<Void>(initial: ()) { _, message in messages.append(message.string) }
            try withServer(behavior) { _, port throws in
                let client = try RawClient.upgraded(port: port)
                client.sendFrame(opcode: 0x1, payload: [0x48, 0xC3, 0x28])
                #expect(try client.readUntilClose().closeCode == 1007)
                #expect(messages.all.isEmpty)
            }
        }
    }

    @Test("a client that never finishes its handshake is dropped after the handshake timeout")
    func slowloris() async throws {
        try await runBlocking {
            var configuration = testConfiguration()
            configuration.handshakeTimeout = .milliseconds(300)
            try withServer(configuration, echoBehavior()) { server, port throws in
                let client = try RawClient(port: port)
                client.write(Array("GET / HTTP/1.1\r\nHost: x\r\n".utf8))
                let start = monotonicSeconds()
                #expect(client.waitForEOF())
                #expect(monotonicSeconds() - start < 3)
                #expect(Recorder<Int>().wait { _ in server.connectionCount == 0 })
            }
        }
    }

    @Test("an oversized request head gets 431 and is not buffered without bound")
    func oversizedHead() async throws {
        try await runBlocking {
            try withServer(echoBehavior()) { _, port throws in
                let client = try RawClient(port: port)
                var request = "GET / HTTP/1.1\r\nHost: x\r\n"
                for index in 0 ..< 400 { request += "X-Filler-\(index): \(String(repeating: "a", count: 60))\r\n" }
                client.write(Array(request.utf8))
                #expect(try client.readResponseHead().hasPrefix("HTTP/1.1 431"))
            }
        }
    }

    @Test("a client that never reads: buffered bytes stay under the limit and sends report dropped")
    func neverReadingClient() async throws {
        try await runBlocking {
            var configuration = testConfiguration()
            configuration.maxBufferedBytes = 256 * 1024
            let statuses = Recorder<SendStatus>()
            let maxBuffered = Atomic<Int>(0)
            let chunk = [UInt8](repeating: 7, count: 16 * 1024)
            let behavior = WebSocketBehavior<Void>(initial: ()) { ws, _ in
                // Every inbound message triggers a flood of 64 × 16 KiB = 1 MiB.
                for _ in 0 ..< 64 {
                    statuses.append(ws.send(binary: chunk))
                    maxBuffered.max(ws.bufferedAmount)
                }
            }
            try withServer(configuration, behavior) { _, port throws in
                let client = try RawClient.upgraded(port: port)
                var size: Int32 = 4096
                setsockopt(client.fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
                // Far more than the kernel's socket buffers hold, so a backlog must form.
                for _ in 0 ..< 64 {
                    client.sendText("flood")
                    usleep(5_000)
                }
                // Read backpressure: once the first message's replies fill the buffer, the
                // server stops reading this client, so only the first flood is certain to run.
                #expect(statuses.wait { $0.count >= 64 })
                #expect(statuses.all.contains(.dropped))
                #expect(statuses.all.contains(.buffered))
                #expect(maxBuffered.load(ordering: .relaxed) <= configuration.maxBufferedBytes)
            }
        }
    }

    @Test("with the close policy, a slow reader over its limit is closed with the configured code")
    func backpressureClosePolicy() async throws {
        try await runBlocking {
            var configuration = testConfiguration()
            configuration.maxBufferedBytes = 64 * 1024
            configuration.backpressurePolicy = .close(.tryAgainLater)
            let closes = Recorder<UInt16>()
            let chunk = [UInt8](repeating: 7, count: 16 * 1024)
            let behavior = WebSocketBehavior<Void>(
                initial: (),
                message: { ws, _ in for _ in 0 ..< 512 { if ws.send(binary: chunk) == .dropped { break } } },
                close: { _, code, _ in closes.append(code.rawValue) }
            )
            try withServer(configuration, behavior) { _, port throws in
                let client = try RawClient.upgraded(port: port)
                client.sendText("flood")
                #expect(closes.wait { $0 == [1013] })
            }
        }
    }

    @Test("5,000 connections opened and closed leave no descriptor behind")
    func noDescriptorLeak() async throws {
        try await runBlocking {
            try withServer(testConfiguration(loops: 2), echoBehavior()) { server, port throws in
                for index in 0 ..< 5_000 {
                    let client = try RawClient(port: port)
                    if index % 10 == 0 {
                        _ = try client.handshake()
                        client.sendText("bye")
                    }
                }
                #expect(Recorder<Int>().wait(timeout: 10) { _ in server.connectionCount == 0 })
                // A leaked server-side descriptor shows as a socket on the server port left in
                // CLOSE_WAIT (the peer closed, we never did) or still ESTABLISHED.
                #expect(Recorder<Int>().wait(timeout: 10) { _ in serverSideSockets(port: port, states: ["01", "08"]) == 0 })
            }
        }
    }
}

extension Atomic where Value == Int {
    func max(_ value: Int) {
        var current = load(ordering: .relaxed)
        while value > current {
            let (exchanged, original) = compareExchange(expected: current, desired: value, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }
}

@Suite("Abuse: descriptor exhaustion")
struct DescriptorExhaustionTests {
    @Test("out of file descriptors, the listener pauses instead of spinning, then accepts again")
    func acceptPausesOnEMFILE() async throws {
        let binary = try builtExecutable("wskit-echo")
        // Port 0 and the port from the server's own log line: a port picked in advance could be
        // taken (and answered) by another test's server before this one binds it.
        let server = try ChildProcess(shell: "ulimit -n 48 && exec \(binary) --port 0 --loops 1")
        let line = try await server.waitForLine("the listening line") { $0.contains("listening on 127.0.0.1:") }
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) }, "\(line)")
        try await runBlocking {
            // Far more connections than descriptors: the kernel completes them, the server cannot accept them all.
            var clients: [RawClient] = []
            for _ in 0 ..< 80 { if let client = try? RawClient(port: port, timeout: 1) { clients.append(client) } }
            usleep(300_000)
            let before = server.cpuSeconds
            usleep(1_000_000)
            let spent = server.cpuSeconds - before
            #expect(spent < 0.3, "the server spun at \(spent) s of CPU per second while out of descriptors")
            clients.removeAll()
            usleep(1_500_000)
            let client = try RawClient.upgraded(port: port)
            client.sendText("back")
            #expect(try client.readFrame().text == "back")
        }
    }
}
