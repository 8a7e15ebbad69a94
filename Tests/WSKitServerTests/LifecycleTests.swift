import Glibc
import Synchronization
import Testing
import WSKitLiveFixtures
import WSKitProtocol
import WSKitServer

@Suite("Connection lifecycle")
struct LifecycleTests {
    @Test("a client close is answered with the same code and reported once to the application")
    func clientInitiatedClose() async throws {
        try await runBlocking {
            let closes = Recorder<String>()
            let behavior = WebSocketBehavior<Void>(initial: (), message: { _, _ in }, close: { _, code, reason in
                closes.append("\(code.rawValue) \(reason)")
            })
            try withServer(behavior) { _, port throws in
                let client = try RawClient.upgraded(port: port)
                client.sendFrame(opcode: 0x8, payload: [0x03, 0xE8] + Array("done".utf8))
                let reply = try client.readFrame()
                #expect(reply.closeCode == 1000)
                #expect(client.waitForEOF())
                #expect(closes.wait { $0 == ["1000 done"] })
            }
        }
    }

    @Test("a server-initiated close completes when the client answers")
    func serverInitiatedClose() async throws {
        try await runBlocking {
            let closes = Recorder<UInt16>()
            let behavior = WebSocketBehavior<Void>(
                initial: (),
                message: { ws, _ in ws.close(code: WebSocketCloseCode(4000), reason: "bye") },
                close: { _, code, _ in closes.append(code.rawValue) }
            )
            try withServer(behavior) { server, port throws in
                let client = try RawClient.upgraded(port: port)
                client.sendText("close me")
                let frame = try client.readFrame()
                #expect(frame.closeCode == 4000)
                #expect(Array(frame.payload.dropFirst(2)) == Array("bye".utf8))
                client.sendFrame(opcode: 0x8, payload: [0x0F, 0xA0])
                #expect(client.waitForEOF())
                #expect(closes.wait { $0 == [4000] })
                #expect(Recorder<Int>().wait { _ in server.connectionCount == 0 })
            }
        }
    }

    @Test("a TCP drop without a close frame is reported as 1006")
    func abnormalClosure() async throws {
        try await runBlocking {
            let closes = Recorder<UInt16>()
            let behavior = WebSocketBehavior<Void>(initial: (), message: { _, _ in }, close: { _, code, _ in closes.append(code.rawValue) })
            try withServer(behavior) { _, port throws in
                do { _ = try RawClient.upgraded(port: port) }
                #expect(closes.wait { $0 == [1006] })
            }
        }
    }

    @Test("a peer that never answers our close is dropped after the close timeout")
    func closeTimeout() async throws {
        try await runBlocking {
            var configuration = testConfiguration()
            configuration.limits.closeTimeout = .milliseconds(200)
            let behavior = WebSocketBehavior<Void>(initial: ()) { ws, _ in ws.close() }
            try withServer(configuration, behavior) { _, port throws in
                let client = try RawClient.upgraded(port: port)
                client.sendText("close me")
                #expect(try client.readFrame().closeCode == 1000)
                let start = monotonicSeconds()
                #expect(client.waitForEOF())
                #expect(monotonicSeconds() - start < 3)
            }
        }
    }

    @Test("an idle connection is closed with 1001 after the idle timeout")
    func idleTimeout() async throws {
        try await runBlocking {
            var configuration = testConfiguration()
            configuration.idleTimeout = .milliseconds(200)
            try withServer(configuration, echoBehavior()) { _, port throws in
                let client = try RawClient.upgraded(port: port)
                #expect(try client.readUntilClose().closeCode == 1001)
            }
        }
    }

    @Test("code on another thread can send to a connection and run work on its loop")
    func sendFromAnotherThread() async throws {
        try await runBlocking {
            let opened = Recorder<WebSocket<Void>>()
            defer { opened.removeAll() }  // breaks connection → behavior → recorder → connection
            let behavior = WebSocketBehavior<Void>(initial: (), open: { opened.append($0) }, message: { _, _ in })
            try withServer(behavior) { _, port throws in
                let client = try RawClient.upgraded(port: port)
                #expect(opened.wait { $0.count == 1 })
                let ws = opened.all[0]
                #expect(!ws.loop.inEventLoop)
                #expect(ws.send(text: "from elsewhere") == .buffered)
                #expect(try client.readFrame().text == "from elsewhere")
                let ran = Recorder<Bool>()
                ws.loop.execute { ran.append(ws.loop.inEventLoop) }
                #expect(ran.wait { $0 == [true] })
            }
        }
    }

    @Test("a send from the loop never overtakes an earlier send queued from another thread")
    func crossThreadOrdering() async throws {
        try await runBlocking {
            let opened = Recorder<WebSocket<Void>>()
            defer { opened.removeAll() }  // breaks connection → behavior → recorder → connection
            let behavior = WebSocketBehavior<Void>(initial: (), open: { opened.append($0) }, message: { _, _ in })
            try withServer(behavior) { _, port throws in
                let client = try RawClient.upgraded(port: port)
                #expect(opened.wait { $0.count == 1 })
                let ws = opened.all[0]
                let firstQueued = Atomic<Bool>(false)
                ws.loop.execute {
                    while !firstQueued.load(ordering: .acquiring) { usleep(100) }
                    ws.send(text: "second")
                }
                ws.send(text: "first")
                firstQueued.store(true, ordering: .releasing)
                #expect(try client.readFrame().text == "first")
                #expect(try client.readFrame().text == "second")
            }
        }
    }

    @Test("a close queued from another thread goes out before a send queued after it, which is dropped")
    func crossThreadCloseBeforeLaterSend() async throws {
        try await runBlocking {
            let opened = Recorder<WebSocket<Void>>()
            defer { opened.removeAll() }  // breaks connection → behavior → recorder → connection
            let behavior = WebSocketBehavior<Void>(initial: (), open: { opened.append($0) }, message: { _, _ in })
            try withServer(behavior) { _, port throws in
                let client = try RawClient.upgraded(port: port)
                #expect(opened.wait { $0.count == 1 })
                let ws = opened.all[0]
                // Hold the loop so that both calls are queued before either runs.
                let queued = Atomic<Bool>(false)
                ws.loop.execute { while !queued.load(ordering: .acquiring) { usleep(100) } }
                ws.close(code: WebSocketCloseCode(4000), reason: "x")
                ws.send(text: "after close")
                queued.store(true, ordering: .releasing)
                let frame = try client.readFrame()
                #expect(frame.opcode == 0x8)
                #expect(frame.closeCode == 4000)
            }
        }
    }

    @Test("two pings queued from another thread both go out, in order")
    func crossThreadPingsInOrder() async throws {
        try await runBlocking {
            let opened = Recorder<WebSocket<Void>>()
            defer { opened.removeAll() }  // breaks connection → behavior → recorder → connection
            let behavior = WebSocketBehavior<Void>(initial: (), open: { opened.append($0) }, message: { _, _ in })
            try withServer(behavior) { _, port throws in
                let client = try RawClient.upgraded(port: port)
                #expect(opened.wait { $0.count == 1 })
                let ws = opened.all[0]
                let queued = Atomic<Bool>(false)
                ws.loop.execute { while !queued.load(ordering: .acquiring) { usleep(100) } }
                ws.ping([1])
                ws.ping([2])
                queued.store(true, ordering: .releasing)
                let first = try client.readFrame(), second = try client.readFrame()
                #expect(first.opcode == 0x9 && first.payload == [1])
                #expect(second.opcode == 0x9 && second.payload == [2])
            }
        }
    }

    @Test("graceful shutdown sends 1001 to open connections and 503 to handshakes in progress")
    func gracefulShutdown() async throws {
        try await runBlocking {
            var configuration = testConfiguration()
            configuration.shutdownTimeout = .seconds(2)
            let server = WebSocketServer(configuration: configuration, behavior: echoBehavior())
            try server.start()
            let open = try RawClient.upgraded(port: server.port)
            let pending = try RawClient(port: server.port)
            pending.write(Array("GET / HTTP/1.1\r\nHost: x\r\n".utf8))
            #expect(Recorder<Int>().wait { _ in server.connectionCount == 2 })
            let done = Recorder<Bool>()
            let thread = Thread { server.shutdown(); done.append(true) }
            #expect(try open.readUntilClose().closeCode == 1001)
            open.sendFrame(opcode: 0x8, payload: [0x03, 0xE9])
            #expect(try pending.readResponseHead().hasPrefix("HTTP/1.1 503"))
            #expect(done.wait { $0 == [true] })
            thread.join()
            #expect(server.connectionCount == 0)
            #expect((try? RawClient(port: server.port)) == nil)
        }
    }

    @Test("the drain callback fires once a backlog is written")
    func drainCallback() async throws {
        try await runBlocking {
            let drains = Recorder<Int>()
            // 24 MiB in one go: more than the kernel's socket buffers on both ends can hold, so a
            // backlog must form while the client is not reading yet.
            let chunk = [UInt8](repeating: 1, count: 1 << 20)
            var configuration = testConfiguration()
            configuration.maxBufferedBytes = 64 << 20
            let behavior = WebSocketBehavior<Void>(
                initial: (),
                message: { ws, _ in for _ in 0 ..< 24 { ws.send(binary: chunk) } },
                drain: { ws in drains.append(ws.bufferedAmount) }
            )
            try withServer(configuration, behavior) { _, port throws in
                let client = try RawClient.upgraded(port: port)
                client.sendText("go")
                usleep(200_000)
                var received = 0
                while received < 24 { if try client.readFrame().opcode == 0x2 { received += 1 } }
                #expect(drains.wait { $0.count == 1 && $0[0] == 0 })
            }
        }
    }
}

/// A minimal joinable thread for tests.
final class Thread: @unchecked Sendable {
    private var handle = pthread_t()
    private let body: @Sendable () -> Void

    init(_ body: @escaping @Sendable () -> Void) {
        self.body = body
        let context = Unmanaged.passRetained(self).toOpaque()
        pthread_create(&handle, nil, { context in
            let thread = Unmanaged<Thread>.fromOpaque(context!).takeRetainedValue()
            thread.body()
            return nil
        }, context)
    }

    func join() { pthread_join(handle, nil) }
}
