import Testing
import WSKitContract
import WSKitMessaging
import WSKitRouter
import WSKitTestMessages
import WSKitTesting

/// Composition: merge copies routes, middleware and hooks; conflicts are composition-time
/// errors.
@Suite struct MergeTests {
    /// A feature router generic over any plugin set with messaging: it declares what it needs.
    static func chatRoutes<P: MessagingInstalled>(log: EventLog) -> Router<Session, P> {
        let chat = Router<Session, P>()
        chat.use { ctx, next in
            log.append("chat guard \(ctx.messageType)")
            try await next()
        }
        chat.on(JoinRoom.self) { ctx in
            ctx.assignData(\.room, ctx.payload.room)
            ctx.send(Notice.self, .init(text: "joined \(ctx.payload.room)"))
        }
        chat.onOpen { _ in log.append("chat open") }
        chat.onClose { _ in log.append("chat close") }
        return chat
    }

    static func presenceRoutes<P: MessagingInstalled>(log: EventLog) -> Router<Session, P> {
        let presence = Router<Session, P>()
        presence.on(Ping.self) { ctx in ctx.send(Pong.self, .init(text: ctx.payload.text)) }
        presence.onOpen { _ in log.append("presence open") }
        return presence
    }

    @Test func mergeCopiesRoutesMiddlewareAndHooks() async throws {
        let log = EventLog()
        let app = Router<Session, MessagingPlugins>()
        app.onOpen { _ in log.append("app open") }
        try app.merge(Self.chatRoutes(log: log))
        try app.merge(Self.presenceRoutes(log: log))
        #expect(app.messageTypes == ["JOIN_ROOM", "PING"])
        let harness = try TestHarness(app, plugins: MessagingPlugins())
        let client = await harness.connect(data: Session())
        try await client.send(JoinRoom.self, .init(room: "r"))
        try await client.send(Ping.self, .init(text: "p"))
        #expect(client.frames.map(\.type) == ["NOTICE", "PONG"])
        #expect(client.data.room == "r")
        await client.close()
        // The feature's global middleware guards only its own routes.
        #expect(log.all == ["app open", "chat open", "presence open", "chat guard JOIN_ROOM", "chat close"])
        try await harness.finish()
    }

    @Test func duplicateTypeIsAnErrorAtMergeTimeAndMergesNothing() throws {
        let log = EventLog()
        let app = Router<Session, MessagingPlugins>()
        app.on(Ping.self) { _ in }
        let feature = Self.presenceRoutes(log: log) as Router<Session, MessagingPlugins>
        feature.on(Leave.self) { _ in }
        #expect(throws: RouterBuildError(problems: [.duplicateType("PING")])) {
            try app.merge(feature)
        }
        #expect(app.messageTypes == ["PING"])
    }

    @Test func skipKeepsTheExistingRouteAndReplaceTakesTheIncomingOne() async throws {
        let log = EventLog()
        func feature() -> Router<Session, NoPlugins> {
            let router = Router<Session, NoPlugins>()
            router.on(Ping.self) { _ in log.append("feature") }
            return router
        }
        let skipping = Router<Session, NoPlugins>()
        skipping.on(Ping.self) { _ in log.append("app") }
        try skipping.merge(feature(), onConflict: .skip)
        let replacing = Router<Session, NoPlugins>()
        replacing.on(Ping.self) { _ in log.append("app") }
        try replacing.merge(feature(), onConflict: .replace)

        for router in [skipping, replacing] {
            let harness = try TestHarness(router)
            let client = await harness.connect(data: Session())
            try await client.send(Ping.self, .init(text: "x"))
            try await harness.finish()
        }
        #expect(log.all == ["app", "feature"])
    }

    @Test func duplicateRegistrationInOneRouterFailsTheBuild() {
        let router = Router<Session, NoPlugins>()
        router.on(Ping.self) { _ in }
        router.on(Ping.self) { _ in }
        #expect(throws: RouterBuildError(problems: [.duplicateType("PING")])) {
            _ = try router.build()
        }
    }

    @Test func reservedTypesCannotBeRegistered() {
        let router = Router<Session, NoPlugins>()
        router.on(Sneaky.self) { _ in }
        #expect(throws: RouterBuildError(problems: [.reservedType("$ws:sneaky")])) {
            _ = try router.build()
        }
    }

    @Test func problemsOfAMergedRouterSurfaceAtBuild() {
        let feature = Router<Session, NoPlugins>()
        feature.on(Sneaky.self) { _ in }
        let app = Router<Session, NoPlugins>()
        #expect(throws: Never.self) { try app.merge(feature) }
        #expect(throws: RouterBuildError(problems: [.reservedType("$ws:sneaky")])) {
            _ = try app.build()
        }
    }

    @Test func mergedOnErrorHooksSeeErrors() async throws {
        let log = EventLog()
        let feature = Router<Session, NoPlugins>()
        feature.onError { event in log.append("feature saw \(event.phase)") }
        let app = Router<Session, NoPlugins>()
        try app.merge(feature)
        let harness = try TestHarness(app)
        let client = await harness.connect(data: Session())
        await client.sendText("]")
        #expect(log.all == ["feature saw decode"])
        try await harness.finish()
    }
}
