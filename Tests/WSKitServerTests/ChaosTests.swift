import Glibc
import Testing
import WSKitLiveFixtures
import WSKitProtocol
import WSKitServer

/// The chaos scenarios of issue 18 that fit in CI time, in process and over real sockets
/// (`Tests/Abuse/chaos.py` runs the full-size ones against `wskit-echo`, with figures in
/// docs/reliability.md). 5,000 connections opened and closed: `AbuseTests.noDescriptorLeak`.
@Suite("Chaos: slowloris and a reconnect storm after a restart", .serialized)
struct ChaosTests {
    /// Descriptors this process holds now.
    private func openDescriptors() -> Int {
        guard let directory = opendir("/proc/self/fd") else { return -1 }
        defer { closedir(directory) }
        var count = 0
        while readdir(directory) != nil { count += 1 }
        return count - 3  // ".", ".." and the directory's own descriptor
    }

    /// Client and server ends live in this process: 2 descriptors per connection.
    private func raiseDescriptorLimit(to needed: Int) throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if limit.rlim_cur < rlim_t(needed) {
            limit.rlim_cur = min(limit.rlim_max, rlim_t(needed))
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        try #require(limit.rlim_cur >= rlim_t(needed), "descriptor limit \(limit.rlim_cur) below \(needed)")
    }

    @Test("1,000 slowloris handshakes are all closed by the handshake timeout, and echo works meanwhile")
    func slowloris() async throws {
        try raiseDescriptorLimit(to: 2_200)
        try await runBlocking {
            var configuration = testConfiguration()
            configuration.handshakeTimeout = .seconds(1)
            try withServer(configuration, echoBehavior()) { server, port throws in
                let start = monotonicSeconds()
                let attackers = try (0 ..< 1_000).map { _ in
                    let client = try RawClient(port: port, timeout: 5)
                    client.write(Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n".utf8))
                    return client
                }
                let echo = try RawClient.upgraded(port: port)
                let echoStart = monotonicSeconds()
                var roundTrips = 0
                while monotonicSeconds() - echoStart < 1.2 {
                    echo.sendText("still serving")
                    #expect(try echo.readFrame().text == "still serving")
                    roundTrips += 1
                    // The attack goes on: one more header byte on a few of them.
                    attackers[roundTrips % attackers.count].write(Array("X".utf8))
                }
                #expect(roundTrips > 10)
                let closed = attackers.filter { $0.waitForEOF() }.count
                #expect(closed == 1_000)
                #expect(monotonicSeconds() - start < 8, "closed after \(monotonicSeconds() - start) s with a 1 s timeout")
                #expect(Recorder<Int>().wait { _ in server.connectionCount == 1 }, "\(server.connectionCount)")
                echo.sendText("after")
                #expect(try echo.readFrame().text == "after")
            }
        }
    }

    @Test("a storm of 1,000 clients reconnecting after a server restart: all back, no descriptor left behind")
    func reconnectStorm() async throws {
        try raiseDescriptorLimit(to: 2_200)
        try await runBlocking {
            let before = openDescriptors()
            let first = WebSocketServer(configuration: testConfiguration(loops: 2), behavior: echoBehavior())
            try first.start()
            let port = first.port
            var clients = try (0 ..< 1_000).map { _ in try RawClient.upgraded(port: port) }
            // Restart: a graceful shutdown tells everyone 1001, then a new server on the same port.
            let stopping = Thread { first.shutdown() }
            for client in clients {
                #expect(try client.readUntilClose().closeCode == 1001)
                client.sendFrame(opcode: 0x8, payload: [0x03, 0xE9])
            }
            stopping.join()
            clients.removeAll()
            #expect(first.connectionCount == 0)
            var configuration = testConfiguration(loops: 2)
            configuration.port = port
            let second = WebSocketServer(configuration: configuration, behavior: echoBehavior())
            try second.start()
            defer { second.shutdown() }
            for round in 0 ..< 2 {
                clients = try (0 ..< 1_000).map { _ in try RawClient.upgraded(port: port) }
                for (index, client) in clients.enumerated() where index % 10 == round {
                    client.sendText("back \(index)")
                    #expect(try client.readFrame().text == "back \(index)")
                }
                #expect(second.connectionCount == 1_000)
                clients.removeAll()
                #expect(Recorder<Int>().wait(timeout: 10) { _ in second.connectionCount == 0 })
            }
            #expect(serverSideSockets(port: port, states: ["01", "08"]) == 0)
            // Per loop an epoll instance, an eventfd and a listener (the stopped server keeps its
            // epoll and eventfd until it is freed): nothing per connection.
            #expect(Recorder<Int>().wait { _ in openDescriptors() <= before + 2 * 3 * 2 + 2 }, "\(before) → \(openDescriptors())")
        }
    }
}
