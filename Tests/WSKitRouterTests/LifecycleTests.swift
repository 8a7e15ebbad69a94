import Testing
import WSKitContract
import WSKitMessaging
import WSKitRouter
import WSKitTestMessages
import WSKitTesting

/// onOpen (accept, refuse, fail, async), onClose (once, with code and reason), server-side close.
@Suite struct LifecycleTests {
    @Test func onOpenSeesInitialDataAndCanChangeItAndSend() async throws {
        let router = Router<Session, MessagingPlugins>()
        router.onOpen { ctx in
            ctx.assignData(\.room, "lobby-\(ctx.data.userId ?? "?")")
            ctx.send(Notice.self, .init(text: "welcome \(ctx.clientId)"))
        }
        let harness = try TestHarness(router, plugins: MessagingPlugins())
        let client = await harness.connect(data: Session(userId: "ann"), clientId: "c1")
        #expect(client.openDecision == .accepted)
        #expect(client.data.room == "lobby-ann")
        #expect(try client.messages(Notice.self) == [.init(text: "welcome c1")])
        try await harness.finish()
    }

    @Test func onOpenRefusesWithACloseCode() async throws {
        let log = EventLog()
        let router = Router<Session, NoPlugins>()
        router.onOpen { ctx in
            guard ctx.data.userId != nil else { throw ConnectionRefusal(code: 4401, reason: "Unauthenticated") }
        }
        router.onClose { _ in log.append("close hook") }
        router.on(Ping.self) { _ in log.append("handler") }
        let harness = try TestHarness(router)
        let client = await harness.connect(data: Session())
        #expect(client.openDecision == .refused(code: 4401, reason: "Unauthenticated"))
        #expect(client.serverClose == ServerClose(code: 4401, reason: "Unauthenticated"))
        try await client.send(Ping.self, .init(text: "x"))
        #expect(log.all.isEmpty)
        #expect(client.frames.isEmpty)
        try await harness.finish()
    }

    @Test func onOpenThatThrowsClosesWith1011AndReports() async throws {
        struct Boom: Error {}
        let router = Router<Session, NoPlugins>()
        router.onOpen { _ in throw Boom() }
        let harness = try TestHarness(router)
        let client = await harness.connect(data: Session())
        #expect(client.openDecision == .refused(code: 1011, reason: "Internal error"))
        #expect(client.serverClose?.code == 1011)
        #expect(harness.errors.map(\.phase) == [.open])
        #expect(harness.errors.first?.error is Boom)
        try await harness.finish()
    }

    @Test func framesArrivingWhileOnOpenWaitsAreDispatchedInOrderAfterwards() async throws {
        let gate = Gate()
        let log = EventLog()
        let router = Router<Session, NoPlugins>()
        router.onOpen { ctx in
            await gate.wait()
            ctx.assignData(\.userId, "ready")
        }
        router.on(Ping.self) { ctx in log.append("\(ctx.payload.text) as \(ctx.data.userId ?? "nobody")") }
        let harness = try TestHarness(router)
        let client = await harness.connect(data: Session())
        #expect(client.openDecision == nil)
        try await client.send(Ping.self, .init(text: "1"))
        try await client.send(Ping.self, .init(text: "2"))
        #expect(log.all.isEmpty)
        gate.open()
        await harness.settle()
        #expect(client.openDecision == .accepted)
        try await client.send(Ping.self, .init(text: "3"))
        #expect(log.all == ["1 as ready", "2 as ready", "3 as ready"])
        try await harness.finish()
    }

    @Test func onCloseRunsOnceWithCodeReasonAndFinalData() async throws {
        let log = EventLog()
        let router = Router<Session, NoPlugins>()
        router.on(JoinRoom.self) { ctx in ctx.assignData(\.room, ctx.payload.room) }
        router.onClose { ctx in log.append("\(ctx.code) \(ctx.reason) room=\(ctx.data.room ?? "-")") }
        let harness = try TestHarness(router)
        let client = await harness.connect(data: Session())
        try await client.send(JoinRoom.self, .init(room: "r1"))
        await client.close(code: 1001, reason: "going away")
        client.connection.didClose(code: 1006, reason: "again")
        await harness.settle()
        #expect(log.all == ["1001 going away room=r1"])
        try await harness.finish()
    }

    @Test func peerLeavingDuringOnOpenStillRunsOnCloseAfterOpenCompletes() async throws {
        let gate = Gate()
        let log = EventLog()
        let router = Router<Session, NoPlugins>()
        router.onOpen { _ in
            await gate.wait()
            log.append("open done")
        }
        router.onClose { ctx in log.append("close \(ctx.code)") }
        let harness = try TestHarness(router)
        let client = await harness.connect(data: Session())
        await client.close(code: 1006, reason: "")
        #expect(log.all.isEmpty)
        gate.open()
        await harness.settle()
        #expect(log.all == ["open done", "close 1006"])
        try await harness.finish()
    }

    @Test func serverSideCloseDropsLaterSendsAndRunsOnClose() async throws {
        let log = EventLog()
        let router = Router<Session, MessagingPlugins>()
        router.on(Ping.self) { ctx in
            ctx.send(Notice.self, .init(text: "before"))
            ctx.close(code: 4000, reason: "bye")
            let after = ctx.send(Notice.self, .init(text: "after"))
            log.append("after send: \(after)")
        }
        router.onClose { ctx in log.append("close \(ctx.code) \(ctx.reason)") }
        let harness = try TestHarness(router, plugins: MessagingPlugins())
        let client = await harness.connect(data: Session())
        try await client.send(Ping.self, .init(text: "x"))
        #expect(client.serverClose == ServerClose(code: 4000, reason: "bye"))
        #expect(try client.messages(Notice.self).map(\.text) == ["before"])
        #expect(log.all.contains("after send: dropped"))
        #expect(log.all.contains("close 4000 bye"))
        // Frames after the close are ignored.
        try await client.send(Ping.self, .init(text: "late"))
        #expect(client.frames.count == 1)
        try await harness.finish()
    }

    @Test func onErrorHookSeesHandlerFailures() async throws {
        struct Oops: Error {}
        let log = EventLog()
        let router = Router<Session, NoPlugins>()
        router.onError { event in log.append("\(event.phase) \(event.messageType ?? "-") \(event.sentToClient?.code.rawValue ?? "-")") }
        router.on(Ping.self) { _ in throw Oops() }
        let harness = try TestHarness(router)
        let client = await harness.connect(data: Session())
        try await client.send(Ping.self, .init(text: "x"))
        await client.sendText("{")
        #expect(log.all == ["handler PING INTERNAL", "decode - INVALID_ARGUMENT"])
        try await harness.finish()
    }

    @Test func eventHandlerThatThrowsGetsAGenericInternalError() async throws {
        struct SecretFailure: Error, CustomStringConvertible { var description: String { "db password=hunter2" } }
        let router = Router<Session, NoPlugins>()
        router.on(Ping.self) { _ in throw SecretFailure() }
        router.on(Login.self) { _ in throw WireError(code: .notFound, message: "No such user", details: ["user": "x"]) }
        let harness = try TestHarness(router)
        let client = await harness.connect(data: Session())
        try await client.send(Ping.self, .init(text: "x"))
        try await client.send(Login.self, .init(user: "x"))
        #expect(client.frames.map(\.type) == ["ERROR", "ERROR"])
        #expect(client.errors.map(\.code) == [.internal, .notFound])
        #expect(client.errors[0].message == "Internal server error")
        #expect(!client.frames[0].text.contains("hunter2"))
        #expect(client.errors[1].details == ["user": "x"])
        try await harness.finish()
    }

    @Test func errorDetailsCanBeExposedOrSuppressed() async throws {
        struct Visible: Error, CustomStringConvertible { var description: String { "visible cause" } }
        let router = Router<Session, NoPlugins>()
        router.on(Ping.self) { _ in throw Visible() }
        var exposing = RouterOptions()
        exposing.exposeErrorDetails = true
        let harness = try TestHarness(router, options: exposing)
        let client = await harness.connect(data: Session())
        try await client.send(Ping.self, .init(text: "x"))
        #expect(client.errors.map(\.message) == ["visible cause"])
        try await harness.finish()

        var silent = RouterOptions()
        silent.sendInternalErrorOnThrow = false
        let quiet = try TestHarness(router, options: silent)
        let other = await quiet.connect(data: Session())
        try await other.send(Ping.self, .init(text: "x"))
        #expect(other.frames.isEmpty)
        #expect(quiet.errors.map(\.phase) == [.handler])
        try await quiet.finish()
    }

    @Test func errorDetailsAreSanitisedBeforeLeaving() async throws {
        let router = Router<Session, NoPlugins>()
        router.on(Ping.self) { ctx in
            ctx.error(.failedPrecondition, "nope", details: ["password": "hunter2", "field": "name"])
        }
        let harness = try TestHarness(router)
        let client = await harness.connect(data: Session())
        try await client.send(Ping.self, .init(text: "x"))
        #expect(client.errors.first?.details == ["field": "name"])
        #expect(!client.frames[0].text.contains("hunter2"))
        try await harness.finish()
    }

    @Test func eventErrorsAreNotOneShot() async throws {
        let router = Router<Session, NoPlugins>()
        router.on(Ping.self) { ctx in
            ctx.error(.invalidArgument, "first")
            ctx.error(.invalidArgument, "second")
        }
        let harness = try TestHarness(router)
        let client = await harness.connect(data: Session())
        try await client.send(Ping.self, .init(text: "x"))
        #expect(client.errors.map(\.message) == ["first", "second"])
        #expect(client.frames.allSatisfy { $0.type == "ERROR" })
        try await harness.finish()
    }
}
