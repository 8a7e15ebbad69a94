import Glibc
import Synchronization
import Testing
import WSKit
import WSKitPubSub
import WSKitLiveFixtures

/// Fan-out over real sockets through the epoll server: several loops, publishes from other
/// threads, frames encoded once, backpressure, cleanup.
@Suite(.serialized) struct ServerFanOutTests {
    /// A router hosted by a hand-written behavior (like `wskit-echo`'s `/bcast`), recording the
    /// loop of each connection.
    final class Slot: @unchecked Sendable {
        var connection: RouterConnection<Member, ChatPlugins>?
    }

    static func behavior(_ runtime: RouterRuntime<Member, ChatPlugins>, loops: Recorder<Int>) -> WebSocketBehavior<Slot> {
        WebSocketBehavior(
            upgrade: { _ in .accept(Slot()) },
            open: { ws in
                loops.append(ws.loop.index)
                ws.context.connection = runtime.open(ServerTransport(ws), data: Member(name: "c\(ws.id)"))
            },
            message: { ws, message in
                switch message {
                case let .text(bytes): ws.context.connection?.receive(text: bytes)
                case let .binary(bytes): ws.context.connection?.receive(binary: bytes)
                }
            },
            close: { ws, code, reason in
                ws.context.connection?.didClose(code: code.rawValue, reason: reason)
                ws.context.connection = nil
            })
    }

    static func waitUntil(_ timeout: Double = 5, _ condition: () -> Bool) -> Bool {
        let deadline = monotonicSeconds() + timeout
        while monotonicSeconds() < deadline {
            if condition() { return true }
            usleep(2_000)
        }
        return condition()
    }

    static func json(_ frame: RawClient.Frame) throws -> JSONValue {
        try frame.payload.withUnsafeBytes { try JSON.parse($0) }
    }

    @Test func aPublishFromAnotherThreadReachesSubscribersOnEveryLoopWithTheSameBytes() async throws {
        let runtime = try chatRouter().build(plugins: ChatPlugins())
        let loops = Recorder<Int>()
        try await runBlocking {
            try withServer(testConfiguration(loops: 2), Self.behavior(runtime, loops: loops)) { _, port in
                // Connect until both loops have subscribers (SO_REUSEPORT spreads them by hash).
                var clients: [RawClient] = []
                while clients.count < 4 || Set(loops.all).count < 2 {
                    #expect(clients.count < 64, "every connection landed on one loop")
                    if clients.count >= 64 { return }
                    let client = try RawClient.upgraded(port: port)
                    client.sendText(#"{"type":"JOIN","payload":{"topic":"news"}}"#)
                    clients.append(client)
                    _ = Self.waitUntil { loops.all.count == clients.count }
                }
                #expect(Self.waitUntil { runtime.pubsub.subscriberCount(of: "news") == clients.count })
                let pubsub = runtime.pubsub
                let published = Mutex<PublishResult?>(nil)
                let thread = try BackgroundThread {
                    published.withLock { $0 = pubsub.publishNow(ChatLine.self, .init(text: "to all loops"), to: "news") }
                }
                thread.join()
                #expect(published.withLock { $0 }?.matched == clients.count)
                var payloads: Set<[UInt8]> = []
                for client in clients {
                    let frame = try client.readFrame()
                    #expect(frame.opcode == 0x1)
                    #expect(try Self.json(frame)["payload"]?["text"]?.stringValue == "to all loops")
                    payloads.insert(frame.payload)
                }
                #expect(payloads.count == 1)
                #expect(pubsub.statistics.deliveries == clients.count)
                #expect(pubsub.statistics.droppedHops == 0)
            }
        }
    }

    @Test func publishesFromOneThreadArriveInOrderOnEveryLoop() async throws {
        let runtime = try chatRouter().build(plugins: ChatPlugins())
        let loops = Recorder<Int>()
        try await runBlocking {
            try withServer(testConfiguration(loops: 2), Self.behavior(runtime, loops: loops)) { _, port in
                var clients: [RawClient] = []
                while clients.count < 6 || (Set(loops.all).count < 2 && clients.count < 64) {
                    let client = try RawClient.upgraded(port: port)
                    client.sendText(#"{"type":"JOIN","payload":{"topic":"seq"}}"#)
                    clients.append(client)
                    _ = Self.waitUntil { loops.all.count == clients.count }
                }
                #expect(Self.waitUntil { runtime.pubsub.subscriberCount(of: "seq") == clients.count })
                let pubsub = runtime.pubsub
                let count = 300
                let thread = try BackgroundThread {
                    for n in 0 ..< count { _ = Array("\(n)".utf8).withUnsafeBytes { pubsub.publishNow(raw: $0, binary: false, to: "seq") } }
                }
                thread.join()
                for client in clients {
                    var received: [Int] = []
                    for _ in 0 ..< count { received.append(Int(try client.readFrame().text) ?? -1) }
                    #expect(received == Array(0 ..< count))
                }
            }
        }
    }

    @Test func aSubscriberThatStopsReadingFollowsTheBackpressurePolicy() async throws {
        let runtime = try chatRouter().build(plugins: ChatPlugins(pubsub: PubSubPlugin(maxMessageBytes: 1 << 16)))
        var configuration = testConfiguration(loops: 1)
        configuration.maxBufferedBytes = 64 * 1024
        configuration.backpressurePolicy = .close(.tryAgainLater)
        let limited = configuration
        let loops = Recorder<Int>()
        try await runBlocking {
            try withServer(limited, Self.behavior(runtime, loops: loops)) { server, port in
                let stalled = try RawClient.upgraded(port: port)
                var small: Int32 = 4096
                setsockopt(stalled.fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
                let reader = try RawClient.upgraded(port: port)
                for client in [stalled, reader] { client.sendText(#"{"type":"JOIN","payload":{"topic":"firehose"}}"#) }
                #expect(Self.waitUntil { runtime.pubsub.subscriberCount(of: "firehose") == 2 })
                let chunk = [UInt8](repeating: UInt8(ascii: "z"), count: 8 * 1024)
                let total = 2_000
                let received = Atomic<Int>(0)
                let readerThread = try BackgroundThread {
                    while received.load(ordering: .relaxed) < total {
                        guard let frame = try? reader.readFrame(), frame.opcode == 0x1 else { return }
                        received.add(1, ordering: .relaxed)
                    }
                }
                let deadline = monotonicSeconds() + 30
                for sent in 1 ... total {
                    _ = chunk.withUnsafeBytes { runtime.pubsub.publishNow(raw: $0, binary: false, to: "firehose") }
                    // Pace the publisher so the reading subscriber keeps up (it must never be
                    // over the limit itself); the stalled one falls behind at once.
                    while sent - received.load(ordering: .relaxed) > 4, monotonicSeconds() < deadline { usleep(50) }
                }
                readerThread.join()
                #expect(received.load(ordering: .relaxed) == total, "\(runtime.pubsub.statistics)")
                // The stalled subscriber went over its buffer limit and was closed with 1013;
                // its topics were dropped with it.
                #expect(Self.waitUntil { runtime.pubsub.subscriberCount(of: "firehose") == 1 })
                #expect(runtime.pubsub.statistics.droppedDeliveries > 0)
                _ = server
            }
        }
    }

    @Test func theHostingGlueServesTopicsAndExcludeSelf() async throws {
        let runtime = try chatRouter().build(plugins: ChatPlugins())
        try await runBlocking {
            let server = WebSocketServer(configuration: testConfiguration(loops: 2), router: runtime) { request in
                .accept(Member(name: request.head.queryValue("name") ?? "?"))
            }
            try server.start()
            defer { server.shutdown() }
            let ada = try RawClient.upgraded(port: server.port, path: "/?name=ada")
            let bob = try RawClient.upgraded(port: server.port, path: "/?name=bob")
            for client in [ada, bob] { client.sendText(#"{"type":"JOIN","payload":{"topic":"room"}}"#) }
            #expect(Self.waitUntil { runtime.pubsub.subscriberCount(of: "room") == 2 })
            ada.sendText(#"{"type":"SAY","payload":{"topic":"room","text":"hi","excludeSelf":true}}"#)
            let answer = try Self.json(ada.readFrame())
            #expect(answer["type"]?.stringValue == "PUBLISHED")
            #expect(answer["payload"]?["matched"]?.doubleValue == 1)
            let line = try Self.json(bob.readFrame())
            #expect(line["type"]?.stringValue == "CHAT")
            #expect(line["payload"]?["text"]?.stringValue == "hi")
            #expect(room(runtime).peers().map(\.name).sorted() == ["ada", "bob"])
            // Closing a socket drops its subscriptions.
            bob.sendFrame(opcode: 0x8, payload: [0x03, 0xE8])
            #expect(Self.waitUntil { runtime.pubsub.subscriberCount(of: "room") == 1 })
        }
    }

    func room(_ runtime: RouterRuntime<Member, ChatPlugins>) -> Room<Member, ChatPlugins> { runtime.pubsub.room("room") }
}

/// A plain thread for the publishing or reading side of a socket test (not the cooperative
/// pool). The body may capture blocking clients: the test joins the thread before using them again.
final class BackgroundThread: @unchecked Sendable {
    private var thread = pthread_t()

    init(_ body: @escaping () -> Void) throws {
        let box = Unmanaged.passRetained(Job(body)).toOpaque()
        guard pthread_create(&thread, nil, { context in
            Unmanaged<Job>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, box) == 0 else {
            Unmanaged<Job>.fromOpaque(box).release()
            throw RawClient.ClientError.closed
        }
    }

    func join() { pthread_join(thread, nil) }

    private final class Job {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }
}
