import Testing
import WSKit
import WSKitLiveFixtures
import WSKitMetrics
import WSKitTestMessages

struct Guest: Sendable { var name: String }

struct EndpointPlugins: MessagingInstalled, RPCInstalled {
    var messaging = MessagingPlugin()
    var rpc = RPCPlugin()
}

enum ScriptedFailure: Error { case refused }

/// A server and its router reporting to one registry, served on `/metrics`; a scripted run of raw
/// clients, then a scrape that must show exactly what the run did.
@Suite("Metrics: a /metrics scrape after a scripted client run")
struct MetricsEndpointTests {
    static func runtime(_ metrics: MetricsRegistry) throws -> RouterRuntime<Guest, EndpointPlugins> {
        let router = Router<Guest, EndpointPlugins>()
        router.on(Routed.Say.self) { ctx in
            ctx.send(Routed.Said.self, .init(text: ctx.payload.text, name: ctx.data.name))
        }
        router.rpc(Routed.Countdown.self) { ctx in
            for n in stride(from: ctx.payload.from, to: 0, by: -1) { _ = ctx.progress(.init(n: n)) }
            _ = ctx.reply(.init(n: 0))
        }
        router.rpc(Routed.Wait.self) { _ in throw ScriptedFailure.refused }
        return try router.build(plugins: EndpointPlugins(), options: RouterOptions(metrics: metrics))
    }

    @Test("the scrape shows handshakes, refusals, messages by type, RPC outcomes and latency, errors by code, open connections")
    func scrapeAfterScriptedRun() async throws {
        let metrics = MetricsRegistry()
        var configuration = testConfiguration()
        configuration.metrics = metrics
        let server = WebSocketServer(
            configuration: configuration, router: try Self.runtime(metrics), http: metrics.httpHandler()
        ) { request in
            guard let name = request.head.queryValue("name") else { return .refuse(.unauthorized("name required")) }
            return .accept(Guest(name: name))
        }
        try server.start()
        defer { server.shutdown() }
        let port = server.port
        try await runBlocking {
            // The script: one refused upgrade, two connections, three SAYs, one COUNTDOWN (ok),
            // one WAIT (its handler throws: error), one unknown type; then one connection closes.
            #expect(try RawClient(port: port).handshake(path: "/ws").hasPrefix("HTTP/1.1 401"))
            let ada = try RawClient.upgraded(port: port, path: "/ws?name=ada")
            let bob = try RawClient.upgraded(port: port, path: "/ws?name=bob")
            for text in ["a", "b"] {
                ada.sendText(#"{"type":"SAY","payload":{"text":"\#(text)"}}"#)
                #expect(try ada.readFrame().text.contains("SAID"))
            }
            bob.sendText(#"{"type":"SAY","payload":{"text":"c"}}"#)
            #expect(try bob.readFrame().text.contains("SAID"))
            bob.sendText(#"{"type":"COUNTDOWN","meta":{"correlationId":"c1"},"payload":{"from":2}}"#)
            for _ in 0 ..< 3 { _ = try bob.readFrame() }
            bob.sendText(#"{"type":"WAIT","meta":{"correlationId":"c2"},"payload":{}}"#)
            #expect(try bob.readFrame().text.contains("RPC_ERROR"))
            bob.sendText(#"{"type":"NOPE","payload":{}}"#)
            #expect(try bob.readFrame().text.contains("UNIMPLEMENTED"))
            bob.sendFrame(opcode: 0x8, payload: [0x03, 0xE8])
            _ = try bob.readUntilClose()

            var last = PrometheusScrape()
            var head = ""
            let settled = pollSynchronously(timeout: 10) {
                guard let (h, scrape) = try? PrometheusScrape.fetch(port: port) else { return false }
                (head, last) = (h, scrape)
                return scrape["wskit_connections_open"] == 1
                    && scrape[#"wskit_rpc_calls_total{type="WAIT",outcome="error"}"#] == 1
                    && scrape[#"wskit_rpc_calls_total{type="COUNTDOWN",outcome="ok"}"#] == 1
            }
            #expect(settled, "\(last.samples.sorted { $0.key < $1.key })")
            #expect(head.hasPrefix("HTTP/1.1 200"))
            #expect(head.lowercased().contains("content-type: text/plain; version=0.0.4"))
            #expect(last["wskit_handshakes_total"] == 2)
            #expect(last[#"wskit_connections_refused_total{reason="refused_by_app"}"#] == 1)
            #expect(last["wskit_connections_accepted_total"] ?? 0 >= 4)
            #expect(last[#"wskit_router_messages_total{type="SAY"}"#] == 3)
            #expect(last[#"wskit_router_messages_total{type="COUNTDOWN"}"#] == 1)
            #expect(last[#"wskit_router_messages_total{type="WAIT"}"#] == 1)
            #expect(last[#"wskit_router_messages_total{type="NOPE"}"#] == nil)
            #expect(last[#"wskit_router_errors_total{code="UNIMPLEMENTED",phase="dispatch"}"#] == 1)
            #expect(last["wskit_messages_received_total"] == 6)
            // SAID ×3, TICK progress ×2 and reply, RPC_ERROR, ERROR: 8 messages.
            #expect(last["wskit_messages_sent_total"] == 8)
            #expect((last["wskit_sent_bytes_total"] ?? 0) > 0)
            #expect((last["wskit_received_bytes_total"] ?? 0) > 0)
            #expect(last[#"wskit_connections_closed_total{code="1000"}"#] == 1)
            #expect(last[#"wskit_rpc_duration_seconds_count{type="COUNTDOWN"}"#] == 1)
            #expect(last[#"wskit_rpc_duration_seconds_bucket{type="COUNTDOWN",le="+Inf"}"#] == 1)
            #expect(last.types["wskit_rpc_duration_seconds"] == "histogram")
            #expect((last["wskit_http_requests_total"] ?? 0) >= 1)
            withExtendedLifetime(ada) {}
        }
    }

    @Test("other paths fall through to the next handler; non-GET on /metrics is 405")
    func routing() async throws {
        try await runBlocking {
            let metrics = MetricsRegistry()
            var configuration = testConfiguration()
            configuration.metrics = metrics
            let server = WebSocketServer(
                configuration: configuration, router: try Self.runtime(metrics),
                http: metrics.httpHandler(next: { _ in .plainText(status: .ok, "home") })
            ) { _ in .accept(Guest(name: "x")) }
            try server.start()
            defer { server.shutdown() }
            let home = try RawClient(port: server.port)
            home.write(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
            #expect(try home.readResponseHead().hasSuffix("home"))
            let post = try RawClient(port: server.port)
            post.write(Array("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n".utf8))
            #expect(try post.readResponseHead().hasPrefix("HTTP/1.1 405"))
        }
    }
}

struct ChatPlugins: MessagingInstalled, PubSubInstalled {
    var messaging = MessagingPlugin()
    var pubsub = PubSubPlugin()
}

@Suite("Metrics: pub/sub publishes and deliveries")
struct PubSubMetricsTests {
    @Test("two subscribers, two publishes: 2 publishes, 4 deliveries")
    func publishesAndDeliveries() async throws {
        let metrics = MetricsRegistry()
        let router = Router<Guest, ChatPlugins>()
        router.on(Routed.Say.self) { ctx in
            _ = try await ctx.topics.subscribe("room")
            ctx.send(Routed.Said.self, .init(text: "joined", name: ctx.data.name))
        }
        let runtime = try router.build(plugins: ChatPlugins(), options: RouterOptions(metrics: metrics))
        let server = WebSocketServer(configuration: testConfiguration(), router: runtime) { _ in .accept(Guest(name: "g")) }
        try server.start()
        defer { server.shutdown() }
        let port = server.port
        try await runBlocking {
            let clients = try (0 ..< 2).map { _ in try RawClient.upgraded(port: port, path: "/") }
            for client in clients {
                client.sendText(#"{"type":"SAY","payload":{"text":"join"}}"#)
                #expect(try client.readFrame().text.contains("joined"))
            }
            for n in 0 ..< 2 { runtime.pubsub.publishNow(Routed.Tick.self, .init(n: n), to: "room") }
            for client in clients {
                for _ in 0 ..< 2 { #expect(try client.readFrame().text.contains("TICK")) }
            }
        }
        #expect(metrics.value(.pubSubPublishes) == 2)
        #expect(metrics.value(.pubSubDeliveries) == 4)
    }
}
