import InMemoryTracing
import Testing
import Tracing
import WSKit
import WSKitClient
import WSKitCompositionApp
import WSKitProtocol
import WSKitTracing

/// swift-distributed-tracing: a span per RPC and per message, parented on the upgrade's
/// `traceparent`, over a real connection to WSKit's server, recorded by the in-memory tracer.
@Suite("Tracing: a span per routed message, parented on the upgrade's traceparent", .serialized)
struct TracingMiddlewareTests {
    static let traceId = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let parentId = "00f067aa0ba902b7"

    /// The app with the tracing middleware in front of the features, served by WSKit's server.
    static func withTracedApp(
        _ tracer: W3CInMemoryTracer, rpcOnly: Bool = false, _ body: (Int) async throws -> Void
    ) async throws {
        let router = try makeRouter()
        router.use(tracingMiddleware(tracer: tracer, rpcOnly: rpcOnly))
        var configuration = ServerConfiguration(port: 0, loopCount: 1)
        configuration.logger = NoLogger()
        configuration.shutdownTimeout = .seconds(1)
        let server = WebSocketServer(configuration: configuration, router: try router.build(plugins: ExamplePlugins()), upgrade: authenticate)
        try server.start()
        defer { server.shutdown() }
        try await body(server.port)
    }

    static func connect(port: Int, traceparent: String?) async throws -> WebSocketClient {
        var headers = HTTPHeaders()
        if let traceparent { headers.add(name: "traceparent", value: traceparent) }
        let client = WebSocketClient(configuration: WebSocketClientConfiguration(
            url: try WebSocketURL("ws://127.0.0.1:\(port)/?token=ada:admin"),
            connection: WebSocketConnectionOptions(headers: headers),
            reconnect: ReconnectPolicy(isEnabled: false)))
        try await client.connect()
        return client
    }

    static func finished(_ tracer: W3CInMemoryTracer, count: Int) async -> [FinishedInMemorySpan] {
        for _ in 0 ..< 500 where tracer.base.finishedSpans.count < count {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return tracer.base.finishedSpans
    }

    @Test("an RPC's span continues the upgrade's trace, with the RPC's attributes")
    func rpcSpan() async throws {
        let tracer = W3CInMemoryTracer()
        try await Self.withTracedApp(tracer) { port in
            let client = try await Self.connect(port: port, traceparent: "00-\(Self.traceId)-\(Self.parentId)-01")
            _ = try await client.request(GetProfile.self)
            await client.close()
        }
        let spans = await Self.finished(tracer, count: 1)
        let span = try #require(spans.first { $0.operationName == "GET_PROFILE" }, "\(spans.map(\.operationName))")
        #expect(span.traceID == Self.traceId)
        #expect(span.parentSpanID == Self.parentId)
        #expect(span.kind == .server)
        #expect(span.attributes["rpc.system"]?.toSpanAttribute() == .string("wskit"))
        #expect(span.attributes["rpc.method"]?.toSpanAttribute() == .string("GET_PROFILE"))
        #expect(span.attributes["wskit.kind"]?.toSpanAttribute() == .string("rpc"))
        #expect(span.attributes["wskit.correlation_id"] != nil)
        #expect(span.attributes["wskit.client_id"] != nil)
        #expect(span.status == nil)
    }

    @Test("a failing handler's span records the wire error; without traceparent the span starts a trace")
    func errorSpanAndRootSpan() async throws {
        let tracer = W3CInMemoryTracer()
        try await Self.withTracedApp(tracer) { port in
            let client = try await Self.connect(port: port, traceparent: nil)
            _ = try await client.request(RunJob.self, .init(steps: 1, name: "x"))
            await client.close()
            let member = WebSocketClient(configuration: WebSocketClientConfiguration(
                url: try WebSocketURL("ws://127.0.0.1:\(port)/?token=eve:member"),
                reconnect: ReconnectPolicy(isEnabled: false)))
            try await member.connect()
            _ = try member.send(ResetJobs.self)
            _ = try await member.request(GetProfile.self)
            await member.close()
        }
        let spans = await Self.finished(tracer, count: 3)
        let job = try #require(spans.first { $0.operationName == "RUN_JOB" })
        #expect(job.parentSpanID == nil)
        #expect(job.traceID != Self.traceId)
        let reset = try #require(spans.first { $0.operationName == "RESET_JOBS" }, "\(spans.map(\.operationName))")
        #expect(reset.attributes["wskit.kind"]?.toSpanAttribute() == .string("message"))
        #expect(reset.attributes["wskit.error.code"]?.toSpanAttribute() == .string("PERMISSION_DENIED"))
        #expect(reset.status?.code == .error)
        #expect(!reset.errors.isEmpty)
    }

    @Test("rpcOnly traces RPCs and skips fire-and-forget messages")
    func rpcOnly() async throws {
        let tracer = W3CInMemoryTracer()
        try await Self.withTracedApp(tracer, rpcOnly: true) { port in
            let client = try await Self.connect(port: port, traceparent: nil)
            _ = try client.send(Rename.self, .init(displayName: "Ada L"))
            #expect(try await client.request(GetProfile.self).displayName == "Ada L")
            await client.close()
        }
        let spans = await Self.finished(tracer, count: 1)
        #expect(spans.map(\.operationName) == ["GET_PROFILE"])
    }
}

/// The in-memory tracer with W3C propagation, as production tracers (swift-otel) have it: its
/// `extract` reads the `traceparent` header into the parent span context.
struct W3CInMemoryTracer: Tracer {
    let base = InMemoryTracer()

    func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> ServiceContext, ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt
    ) -> InMemorySpan {
        base.startSpan(operationName, context: context(), ofKind: kind, at: instant(), function: function, file: fileID, line: line)
    }

    func forceFlush() { base.forceFlush() }

    func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
    where Inject.Carrier == Carrier {
        base.inject(context, into: &carrier, using: injector)
    }

    func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
    where Extract.Carrier == Carrier {
        guard let header = extractor.extract(key: "traceparent", from: carrier) else { return }
        let parts = header.split(separator: "-").map(String.init)
        guard parts.count == 4 else { return }
        context.inMemorySpanContext = InMemorySpanContext(traceID: parts[1], spanID: parts[2], parentSpanID: nil)
    }
}
