import Testing
import WSKitContract
import WSKitMessaging
import WSKitRouter
import WSKitTestMessages
import WSKitTesting

/// Middleware order (validation → plugin → global → per handler → handler) and short-circuits.
@Suite struct MiddlewareTests {
    /// A plugin that contributes one middleware, to see where plugin middleware runs.
    struct TracingPlugin: RouterPlugin {
        let log: EventLog
        func install<ConnectionData: Sendable, Plugins: PluginSet>(
            into installation: PluginInstallation<ConnectionData, Plugins>
        ) throws {
            let log = log
            installation.use(Middleware { _, next in
                log.append("plugin")
                try await next()
            })
        }
    }

    struct TracingPlugins: MessagingInstalled {
        var messaging = MessagingPlugin()
        var tracing: TracingPlugin
    }

    @Test func orderIsPluginThenGlobalThenPerHandlerThenHandler() async throws {
        let log = EventLog()
        let router = Router<Session, TracingPlugins>()
        router.use { _, next in
            log.append("global 1")
            try await next()
            log.append("global 1 after")
        }
        router.use { _, next in
            log.append("global 2")
            try await next()
        }
        let perHandler = Middleware<Session, TracingPlugins> { _, next in
            log.append("route")
            try await next()
        }
        router.on(Ping.self, use: [perHandler]) { _ in log.append("handler") }
        let harness = try TestHarness(router, plugins: TracingPlugins(tracing: TracingPlugin(log: log)))
        let client = await harness.connect(data: Session())
        try await client.send(Ping.self, .init(text: "x"))
        #expect(log.all == ["plugin", "global 1", "global 2", "route", "handler", "global 1 after"])
        try await harness.finish()
    }

    @Test func validationRunsBeforeAnyMiddleware() async throws {
        let log = EventLog()
        let router = Router<Session, NoPlugins>()
        router.use { _, next in
            log.append("global")
            try await next()
        }
        router.on(JoinRoom.self) { _ in log.append("handler") }
        let harness = try TestHarness(router)
        let client = await harness.connect(data: Session())
        await client.sendText(#"{"type":"JOIN_ROOM","payload":{"room":""}}"#)
        #expect(log.all.isEmpty)
        #expect(client.errors.map(\.code) == [.invalidArgument])
        try await harness.finish()
    }

    @Test func middlewareShortCircuitsWithAnError() async throws {
        let log = EventLog()
        let router = Router<Session, NoPlugins>()
        router.use { ctx, next in
            guard ctx.data.userId != nil || ctx.handles(Login.self) else {
                ctx.error(.unauthenticated, "Log in first")
                return
            }
            try await next()
        }
        router.on(Login.self) { ctx in
            log.append("login")
            ctx.assignData(\.userId, ctx.payload.user)
        }
        router.on(Ping.self) { ctx in log.append("ping \(ctx.data.userId ?? "-")") }
        let harness = try TestHarness(router)
        let client = await harness.connect(data: Session())
        try await client.send(Ping.self, .init(text: "early"))
        #expect(log.all.isEmpty)
        #expect(client.errors.map(\.code) == [.unauthenticated])
        #expect(client.frames.first?.type == "ERROR")
        try await client.send(Login.self, .init(user: "ann"))
        try await client.send(Ping.self, .init(text: "late"))
        #expect(log.all == ["login", "ping ann"])
        try await harness.finish()
    }

    @Test func middlewareThrowingAWireErrorSendsIt() async throws {
        let log = EventLog()
        let router = Router<Session, NoPlugins>()
        let deny = Middleware<Session, NoPlugins> { _, _ in
            throw WireError(code: .permissionDenied, message: "Admins only")
        }
        router.on(Ping.self, use: [deny]) { _ in log.append("handler") }
        let harness = try TestHarness(router)
        let client = await harness.connect(data: Session())
        try await client.send(Ping.self, .init(text: "x"))
        #expect(log.all.isEmpty)
        #expect(client.errors == [WireError(code: .permissionDenied, message: "Admins only")])
        try await harness.finish()
    }

    @Test func middlewareSeesTypeMetaAndRawPayloadAndCanChangeData() async throws {
        let log = EventLog()
        let router = Router<Session, NoPlugins>()
        router.use { ctx, next in
            log.append("\(ctx.messageType) \(ctx.rawPayload?["text"]?.stringValue ?? "-") \(ctx.meta["correlationId"]?.stringValue ?? "-") rpc=\(ctx.isRPC)")
            ctx.updateData { $0.hits += 1 }
            try await next()
        }
        router.on(Ping.self) { ctx in log.append("hits \(ctx.data.hits)") }
        let harness = try TestHarness(router)
        let client = await harness.connect(data: Session())
        try await client.send(Ping.self, .init(text: "t"), meta: ["correlationId": "c"])
        #expect(log.all == ["PING t c rpc=false", "hits 1"])
        try await harness.finish()
    }
}
