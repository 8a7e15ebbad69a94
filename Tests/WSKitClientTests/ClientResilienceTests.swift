import WSKitLiveFixtures
import Testing
import WSKitContract
import WSKitProtocol
@testable import WSKitClient

@Suite("WebSocketClient: reconnect, offline queue, pending requests, auth, heartbeat")
struct ClientResilienceTests {
    @Test("the state stream shows closed → connecting → open → closing → closed")
    func stateStream() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let client = try makeClient(responder)
        let states = Recorder<ClientState>()
        let observer = Task { for await state in client.states { states.append(state) } }
        #expect(await eventually { states.count == 1 })
        try await client.connect()
        await client.close()
        #expect(await eventually { states.count == 5 })
        #expect(states.all == [.closed, .connecting, .open, .closing, .closed])
        observer.cancel()
    }

    @Test("connect() is idempotent: concurrent callers share one connection")
    func idempotentConnect() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let client = try makeClient(responder)
        async let first: Void = client.connect()
        async let second: Void = client.connect()
        _ = try await (first, second)
        try await client.connect()
        #expect(client.isConnected)
        #expect(responder.upgrades.count == 1)
        await client.close()
    }

    @Test("after a server restart the client reconnects by itself; manual close stops it")
    func reconnectAfterRestart() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        // The backoff waits on a manual clock: no reconnect attempt can run (and, refused by the
        // stopped server, replace `lastClose`) before the test has read the shutdown's close.
        let clock = ManualClock()
        let client = try makeClient(responder) { $0.clock = clock }
        let states = Recorder<ClientState>()
        let stream = client.states
        let observer = Task { for await state in stream { states.append(state) } }
        try await client.connect()
        await responder.stop()
        await waitForState(client, .reconnecting)
        #expect(client.lastClose?.code == .goingAway)
        #expect(client.lastClose?.cause == .serverClosed)
        try responder.start()
        #expect(await eventually { clock.sleeperCount == 1 }, "the backoff waits on the clock")
        clock.advance(by: .seconds(1))
        await waitForState(client, .open)
        #expect(responder.upgrades.count == 2)
        #expect(try await client.request(Echo.self, Text(text: "back")).text == "back")
        // The observer task reads the state stream on its own: wait for it to catch up.
        #expect(await eventually { states.all.count >= 6 }, "\(states.all)")
        #expect(states.all.starts(with: [.closed, .connecting, .open, .reconnecting, .connecting, .open]))

        await client.close()
        #expect(client.state == .closed)
        clock.advance(by: .seconds(60))
        try await Task.sleep(for: .milliseconds(300))
        #expect(client.state == .closed, "no reconnection after a manual close")
        #expect(responder.upgrades.count == 2)
        observer.cancel()
    }

    @Test("lastClose holds the server's 1001 through the backoff; a refused reconnect attempt then replaces it")
    func lastCloseAcrossAttempts() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let (client, clock) = try await makeClientAfterShutdown(responder)
        #expect(client.lastClose?.code == .goingAway)
        #expect(client.lastClose?.reason == "server shutting down")
        #expect(client.lastClose?.wasClean == true)
        #expect(await eventually { clock.sleeperCount == 1 })
        // The server is gone: the attempt is refused, and `lastClose` describes that attempt.
        clock.advance(by: .seconds(1))
        #expect(await eventually { client.lastClose?.code == .abnormalClosure })
        guard case .transport(.connect)? = client.lastClose?.cause else {
            Issue.record("expected a refused connect, got \(String(describing: client.lastClose))")
            return
        }
        #expect(client.lastClose?.wasOpen == false)
        await waitForState(client, .reconnecting)
        await client.close()
    }

    @Test("messages sent while reconnecting are flushed in order when the connection opens")
    func offlineQueueFlushed() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let client = try makeClient(responder)
        try await client.connect()
        await responder.stop()
        await waitForState(client, .reconnecting)
        for n in 1 ... 20 { #expect(try client.send(Tally.self, Count(n: n)) == .queued) }
        try responder.start()
        await waitForState(client, .open)
        try client.send(Tally.self, Count(n: 21))
        #expect(await eventually { responder.tallies.count == 21 })
        #expect(responder.tallies.all == Array(1 ... 21))
        await client.close()
    }

    @Test("a bounded queue drops the newest or the oldest; an evicted request fails with .evictedFromQueue")
    func queueBounds() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let newest = try makeClient(responder) { $0.queueCapacity = 2 }
        #expect(try newest.send(Tally.self, Count(n: 1)) == .queued)
        #expect(try newest.send(Tally.self, Count(n: 2)) == .queued)
        #expect(try newest.send(Tally.self, Count(n: 3)) == .dropped)
        try await newest.connect()
        #expect(await eventually { responder.tallies.all == [1, 2] })
        await newest.close()

        let oldest = try makeClient(responder) {
            $0.queueCapacity = 2
            $0.queuePolicy = .dropOldest
            $0.autoConnect = true
            $0.auth = ClientAuth { try await Task.sleep(for: .milliseconds(200)); return nil }
        }
        let call = try oldest.call(Echo.self, Text(text: "evicted"))
        try oldest.send(Tally.self, Count(n: 10))
        try oldest.send(Tally.self, Count(n: 11))
        do {
            _ = try await call.result()
            Issue.record("expected the request to be evicted")
        } catch {
            guard case .state(.evictedFromQueue) = error else { Issue.record("got \(error)"); return }
        }
        #expect(await eventually { responder.tallies.all == [1, 2, 10, 11] })
        await oldest.close()

        let off = try makeClient(responder) { $0.queuePolicy = .off }
        #expect(try off.send(Tally.self, Count(n: 99)) == .dropped)
    }

    @Test("requests in flight are rejected with .connectionClosed when the connection drops; queued ones go out after the reconnect")
    func pendingRejectedOnDisconnect() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let client = try makeClient(responder)
        try await client.connect()
        let inFlight = try client.call(Hang.self, Text(text: "lost"), timeout: .seconds(30))
        #expect(await eventually { responder.received.all.contains("HANG") })
        await responder.stop()
        do {
            _ = try await inFlight.result()
            Issue.record("expected connectionClosed")
        } catch {
            guard case .connectionClosed(let info) = error else { Issue.record("got \(error)"); return }
            #expect(info.code == .goingAway)
        }
        await waitForState(client, .reconnecting)
        let queued = try client.call(Echo.self, Text(text: "queued"))
        try responder.start()
        #expect(try await queued.result().text == "queued")
        await client.close()
    }

    @Test("close() fails pending and queued requests and empties the queue")
    func closeRejectsEverything() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let client = try makeClient(responder)
        try await client.connect()
        let inFlight = try client.call(Hang.self, Text(text: "a"))
        #expect(await eventually { responder.received.all.contains("HANG") })
        await client.close()
        guard case .failure(.connectionClosed(let info)) = await inFlight.completion.value(onCancel: {}) else {
            Issue.record("expected connectionClosed")
            return
        }
        #expect(info.cause == .clientClosed)

        let offline = try makeClient(responder) {
            $0.auth = ClientAuth { try await Task.sleep(for: .seconds(10)); return nil }
        }
        let connecting = Task { try await offline.connect() }
        await waitForState(offline, .connecting)
        let queued = try offline.call(Echo.self, Text(text: "never sent"))
        try offline.send(Tally.self, Count(n: 7))
        await offline.close()
        #expect(offline.state == .closed)
        guard case .failure(.connectionClosed) = await queued.completion.value(onCancel: {}) else {
            Issue.record("expected connectionClosed for the queued request")
            return
        }
        let connectResult = await connecting.result
        guard case .failure(let error) = connectResult, case .connectionClosed? = error as? WebSocketClientError else {
            Issue.record("connect() should fail with connectionClosed, got \(connectResult)")
            return
        }
        #expect(offline.core.withLock { $0.queue.isEmpty && $0.pending.isEmpty })
    }

    @Test("the token provider runs on every (re)connect: query parameter")
    func tokenRefreshQuery() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let counter = Locked(0)
        let client = try makeClient(responder) {
            $0.auth = ClientAuth(placement: .query) {
                "token-\(counter.withLock { value -> Int in value += 1; return value })"
            }
        }
        try await client.connect()
        #expect(try await client.request(WhoAmI.self).text == "token-1")
        await responder.stop()
        await waitForState(client, .reconnecting)
        try responder.start()
        await waitForState(client, .open)
        #expect(try await client.request(WhoAmI.self).text == responder.upgrades.all.last?.token)
        #expect(responder.upgrades.all.first?.token == "token-1")
        #expect(responder.upgrades.all.last?.token != "token-1")
        await client.close()
    }

    @Test("bearer.<token> subprotocol: appended after the app's subprotocols, selected by the server")
    func tokenSubprotocol() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let client = try makeClient(responder) {
            $0.connection.subprotocols = ["chat.v1"]
            $0.auth = ClientAuth(placement: .bearerSubprotocol) { "eyJhbGciOi.J9-x_y" }
        }
        try await client.connect()
        #expect(responder.upgrades.all.first?.subprotocols == ["chat.v1", "bearer.eyJhbGciOi.J9-x_y"])
        #expect(client.subprotocol == "bearer.eyJhbGciOi.J9-x_y")
        #expect(try await client.request(WhoAmI.self).text == "eyJhbGciOi.J9-x_y")
        await client.close()

        let bad = try makeClient(responder) {
            $0.reconnect = .disabled
            $0.auth = ClientAuth(placement: .bearerSubprotocol) { "has/slash=" }
        }
        do {
            try await bad.connect()
            Issue.record("expected a setup failure")
        } catch {
            guard case .connectionFailed(let info) = error, case .setupFailed = info.cause else {
                Issue.record("got \(error)")
                return
            }
        }
    }

    @Test("an HTTP 401 refusal is not retried: connect() fails at once")
    func authRefusal() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        responder.refuseWith.withLock { $0 = .unauthorized }
        let client = try makeClient(responder)
        do {
            try await client.connect()
            Issue.record("expected connectionFailed")
        } catch {
            guard case .connectionFailed(let info) = error else { Issue.record("got \(error)"); return }
            #expect(info.httpStatus?.code == 401)
        }
        #expect(client.state == .closed)
        try await Task.sleep(for: .milliseconds(200))
        #expect(responder.upgrades.count == 1)
    }

    @Test("close 4401 from the server is terminal; close 4000 is retried")
    func closeCodePolicy() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let client = try makeClient(responder)
        try await client.connect()
        try client.send(Kick.self, Count(n: 4000))
        #expect(await eventually { responder.upgrades.count == 2 && client.state == .open })
        try client.send(Kick.self, Count(n: 4401))
        await waitForState(client, .closed)
        #expect(client.lastClose?.code.rawValue == 4401)
        try await Task.sleep(for: .milliseconds(200))
        #expect(responder.upgrades.count == 2)
    }

    @Test("maxAttempts: connect() gives up with the last failure")
    func givesUp() async throws {
        let gone = try RawServer(mode: .neverAnswer)
        defer { withExtendedLifetime(gone) {} }
        let port = gone.port
        gone.stop()
        var configuration = WebSocketClientConfiguration(url: try WebSocketURL("ws://127.0.0.1:\(port)/"))
        configuration.reconnect = ReconnectPolicy(initialDelay: .milliseconds(5), maxDelay: .milliseconds(20), maxAttempts: 3)
        let client = WebSocketClient(configuration: configuration)
        do {
            try await client.connect()
            Issue.record("expected connectionFailed")
        } catch {
            guard case .connectionFailed(let info) = error, case .transport(.connect) = info.cause else {
                Issue.record("got \(error)")
                return
            }
        }
        #expect(client.state == .closed)
    }

    @Test("the heartbeat detects a dead server and the client reconnects")
    func heartbeatReconnects() async throws {
        // Only the first connection is dead: the reconnected one is kept alive, so no second
        // heartbeat timeout can end it before `close()` however long the test takes to get there.
        let silent = try RawServer(mode: .silentOnceThenAlive)
        defer { withExtendedLifetime(silent) {} }
        var configuration = WebSocketClientConfiguration(url: try WebSocketURL("ws://127.0.0.1:\(silent.port)/"))
        configuration.connection.heartbeat = Heartbeat(interval: .milliseconds(150), timeout: .milliseconds(150))
        // The silent server never answers our close either: do not wait the default 5 s for it.
        configuration.connection.limits.closeTimeout = .milliseconds(100)
        configuration.reconnect = ReconnectPolicy(initialDelay: .milliseconds(10), maxDelay: .milliseconds(50))
        let client = WebSocketClient(configuration: configuration)
        try await client.connect()
        #expect(await eventually { silent.accepted.count >= 2 })
        #expect(client.lastClose?.cause == .heartbeatTimeout)
        await waitForState(client, .open)
        await client.close()
        #expect(client.lastClose?.cause == .clientClosed)
        #expect(client.lastClose?.code == .abnormalClosure, "the close handshake timed out")
        #expect(silent.accepted.count == 2, "one reconnection, to the live connection")
    }
}
