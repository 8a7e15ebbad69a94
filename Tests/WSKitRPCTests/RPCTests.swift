import Testing
import WSKitContract
import WSKitMessaging
import WSKitRPC
import WSKitRouter
import WSKitTestMessages
import WSKitTesting

/// RPC: terminal rules, progress ordering, cancellation (abort, deadline, disconnect), the
/// in-flight limit, and the guarantee that a caller is never left hanging.
@Suite struct RPCTests {
    typealias AppRouter = Router<Session, AppPlugins>

    static func harness(
        _ configure: (AppRouter) -> Void, plugins: AppPlugins = AppPlugins(), options: RouterOptions = RouterOptions()
    ) throws -> TestHarness<Session, AppPlugins> {
        let router = AppRouter()
        configure(router)
        return try TestHarness(router, plugins: plugins, options: options)
    }

    // MARK: Replies and terminal rules

    @Test func replyUsesTheResponseTypeAndEchoesTheCorrelationId() async throws {
        let harness = try Self.harness { router in
            router.rpc(GetUser.self) { ctx in ctx.reply(.init(name: "user \(ctx.payload.id)")) }
        }
        let client = await harness.connect(data: Session())
        let result = try await client.call(GetUser.self, .init(id: "7"), meta: ["correlationId": "req-1"])
        #expect(result.reply == .init(name: "user 7"))
        let frame = try #require(result.frames.first)
        #expect(frame.type == "USER_DATA")
        #expect(frame.correlationId == "req-1")
        #expect(frame.timestamp == harness.clock.nowMs)
        #expect(result.terminalCount == 1)
        try await harness.finish()
    }

    @Test func theFirstTerminalWinsAndLaterOnesAreDropped() async throws {
        let results = EventLog()
        let harness = try Self.harness { router in
            router.rpc(GetUser.self) { ctx in
                switch ctx.payload.id {
                case "reply-then-error":
                    results.append("\(ctx.reply(.init(name: "a")))")
                    results.append("\(ctx.error(.notFound))")
                case "error-then-reply":
                    results.append("\(ctx.error(.notFound, "gone"))")
                    results.append("\(ctx.reply(.init(name: "b")))")
                default:
                    results.append("\(ctx.reply(.init(name: "c")))")
                    results.append("\(ctx.reply(.init(name: "d")))")
                }
            }
        }
        let client = await harness.connect(data: Session())
        let first = try await client.call(GetUser.self, .init(id: "reply-then-error"))
        let second = try await client.call(GetUser.self, .init(id: "error-then-reply"))
        let third = try await client.call(GetUser.self, .init(id: "reply-twice"))
        #expect(first.reply == .init(name: "a"))
        #expect(second.error?.code == .notFound)
        #expect(second.frames.map(\.type) == ["RPC_ERROR"])
        #expect(third.reply == .init(name: "c"))
        #expect([first, third].allSatisfy { $0.terminalCount == 1 && $0.frames.count == 1 })
        #expect(results.all == ["sent", "dropped", "sent", "dropped", "sent", "dropped"])
        try await harness.finish()
    }

    @Test func progressIsOrderedBeforeTheReplyAndDroppedAfterIt() async throws {
        let harness = try Self.harness { router in
            router.rpc(GetUser.self) { ctx in
                ctx.progress(.init(name: "p", step: 1))
                try await ctx.clock.sleep(for: .milliseconds(10))
                ctx.progress(.init(name: "p", step: 2))
                ctx.reply(.init(name: "done", step: 3))
                ctx.progress(.init(name: "late", step: 4))
            }
        }
        let client = await harness.connect(data: Session())
        let result = try await client.call(GetUser.self, .init(id: "x"))
        #expect(result.frames.map(\.type) == ["$ws:rpc-progress", "$ws:rpc-progress", "USER_DATA"])
        #expect(result.progress.map(\.step) == [1, 2])
        #expect(result.reply?.step == 3)
        try await harness.finish()
    }

    @Test func progressThrottleDropsUpdatesInsideTheWindow() async throws {
        let harness = try Self.harness({ router in
            router.rpc(GetUser.self) { ctx in
                for step in 1...5 {
                    ctx.progress(.init(name: "p", step: step))
                    try await ctx.clock.sleep(for: .milliseconds(40))
                }
                ctx.progress(.init(name: "p", step: 6), throttle: .zero)
                ctx.reply(.init(name: "done"))
            }
        }, plugins: AppPlugins(rpc: RPCPlugin(progressThrottle: .milliseconds(100))))
        let client = await harness.connect(data: Session())
        let result = try await client.call(GetUser.self, .init(id: "x"))
        // Sent at t=0, 120 (t=40 and 80 within 100 ms of 0), and step 6 bypasses the throttle.
        #expect(result.progress.map(\.step) == [1, 4, 6])
        try await harness.finish()
    }

    @Test func errorInsideAnRPCIsACorrelatedTerminal() async throws {
        let harness = try Self.harness { router in
            router.rpc(GetUser.self) { ctx in
                ctx.error(.permissionDenied, "no", details: ["id": .string(ctx.payload.id)])
            }
        }
        let client = await harness.connect(data: Session())
        let result = try await client.call(GetUser.self, .init(id: "9"), meta: ["correlationId": "c-9"])
        #expect(result.error == WireError(code: .permissionDenied, message: "no", details: ["id": "9"]))
        #expect(result.frames.map(\.type) == ["RPC_ERROR"])
        #expect(result.frames.first?.correlationId == "c-9")
        try await harness.finish()
    }

    @Test func emptyResponseReplies() async throws {
        let harness = try Self.harness { router in
            router.rpc(Touch.self) { ctx in ctx.reply() }
        }
        let client = await harness.connect(data: Session())
        let pending = try await client.startCall(Touch.self, Empty())
        #expect(pending.isSettled)
        #expect(pending.frames.map(\.type) == ["TOUCHED"])
        #expect(pending.frames.first?.payload == nil)
        try await harness.finish()
    }

    // MARK: Never hanging

    @Test func invalidInputIsACorrelatedInvalidArgument() async throws {
        let ran = Flag()
        let harness = try Self.harness { router in
            router.rpc(Work.self) { ctx in
                ran.set()
                ctx.reply(.init(ms: ctx.payload.ms))
            }
        }
        let client = await harness.connect(data: Session())
        await client.sendText(#"{"type":"WORK","meta":{"correlationId":"w1"},"payload":{"ms":-1}}"#)
        let frame = try #require(client.frames.first)
        #expect(frame.type == "RPC_ERROR")
        #expect(frame.correlationId == "w1")
        #expect(frame.wireError?.code == .invalidArgument)
        #expect(frame.wireError?.details?["issues"]?[0]?["path"]?.stringValue == "payload.ms")
        #expect(!ran.isSet)
        try await harness.finish()
    }

    @Test func requestWithoutCorrelationIdIsRefused() async throws {
        let ran = Flag()
        let harness = try Self.harness { router in
            router.rpc(GetUser.self) { ctx in
                ran.set()
                ctx.reply(.init(name: "x"))
            }
        }
        let client = await harness.connect(data: Session())
        try await client.send(GetUser.self, .init(id: "1"))
        #expect(client.frames.map(\.type) == ["ERROR"])
        #expect(client.errors.map(\.code) == [.invalidArgument])
        #expect(!ran.isSet)
        try await harness.finish()
    }

    @Test func unknownRPCTypeIsUnimplemented() async throws {
        let harness = try Self.harness { _ in }
        let client = await harness.connect(data: Session())
        let result = try await client.call(GetUser.self, .init(id: "1"))
        #expect(result.error?.code == .unimplemented)
        try await harness.finish()
    }

    @Test func handlerThatThrowsAnswersInternalWithoutLeakingDetails() async throws {
        struct Leaky: Error, CustomStringConvertible { var description: String { "token=abc123" } }
        let harness = try Self.harness { router in
            router.rpc(GetUser.self) { _ in throw Leaky() }
        }
        let client = await harness.connect(data: Session())
        let result = try await client.call(GetUser.self, .init(id: "1"))
        #expect(result.error?.code == .internal)
        #expect(result.error?.message == "Internal server error")
        #expect(!result.frames[0].text.contains("abc123"))
        #expect(harness.errors.map(\.phase) == [.handler])
        try await harness.finish()
    }

    @Test func handlerThatThrowsAfterReplyingSendsNoSecondTerminal() async throws {
        struct Late: Error {}
        let harness = try Self.harness { router in
            router.rpc(GetUser.self) { ctx in
                ctx.reply(.init(name: "ok"))
                throw Late()
            }
        }
        let client = await harness.connect(data: Session())
        let result = try await client.call(GetUser.self, .init(id: "1"))
        #expect(result.reply == .init(name: "ok"))
        #expect(result.terminalCount == 1)
        #expect(harness.errors.count == 1)
        try await harness.finish()
    }

    @Test func handlerThatReturnsWithoutReplyingGetsAnError() async throws {
        let harness = try Self.harness { router in
            router.rpc(GetUser.self) { _ in }
        }
        try await expectOneInternalAnswerForAMissingReply(harness)
    }

    @Test func middlewareThatStopsAnRPCSilentlyStillAnswers() async throws {
        let harness = try Self.harness { router in
            router.use { _, _ in }
            router.rpc(GetUser.self) { ctx in ctx.reply(.init(name: "unreachable")) }
        }
        let client = await harness.connect(data: Session())
        let result = try await client.call(GetUser.self, .init(id: "1"))
        #expect(result.error?.code == .internal)
        try await harness.finish()
    }

    // MARK: Cancellation

    @Test func abortCancelsTheHandlerAndAnswersCancelled() async throws {
        let cancelled = Flag()
        let harness = try Self.harness { router in
            router.rpc(Work.self) { ctx in
                do {
                    try await ctx.clock.sleep(for: .milliseconds(ctx.payload.ms))
                } catch is CancellationError {
                    cancelled.set()
                    ctx.reply(.init(ms: -1)) // dropped: the call was aborted
                    throw CancellationError()
                }
                ctx.reply(.init(ms: ctx.payload.ms))
            }
        }
        let client = await harness.connect(data: Session())
        let pending = try await client.startCall(Work.self, .init(ms: 10_000))
        #expect(!pending.isSettled)
        await client.abort(pending.correlationId)
        #expect(cancelled.isSet)
        let result = try pending.result()
        #expect(result.error?.code == .cancelled)
        #expect(result.terminalCount == 1)
        #expect(result.frames.map(\.type) == ["RPC_ERROR"])
        #expect(harness.errors.isEmpty)
        // The call is gone: its id can be reused, and no timer is left.
        #expect(harness.leaks().isEmpty)
        client.clearFrames()
        let again = try await client.call(Work.self, .init(ms: 5), meta: ["correlationId": .string(pending.correlationId)])
        #expect(again.reply == .init(ms: 5))
        try await harness.finish()
    }

    @Test func abortAfterTheReplyChangesNothing() async throws {
        let harness = try Self.harness { router in
            router.rpc(GetUser.self) { ctx in ctx.reply(.init(name: "done")) }
        }
        let client = await harness.connect(data: Session())
        let result = try await client.call(GetUser.self, .init(id: "1"))
        await client.abort(result.correlationId)
        #expect(client.frames.map(\.type) == ["USER_DATA"])
        try await harness.finish()
    }

    @Test func abortOfAnUnknownCallIsIgnored() async throws {
        let harness = try Self.harness { _ in }
        let client = await harness.connect(data: Session())
        await client.abort("never-sent")
        #expect(client.frames.isEmpty)
        await client.sendText(#"{"type":"$ws:abort"}"#)
        #expect(client.errors.map(\.code) == [.invalidArgument])
        try await harness.finish()
    }

    @Test func deadlineCancelsTheHandlerAndAnswersDeadlineExceeded() async throws {
        let observed = EventLog()
        let harness = try Self.harness { router in
            router.rpc(Work.self) { ctx in
                observed.append("deadline \(ctx.deadline.map { $0 - ctx.receivedAt } ?? -1) left \(ctx.timeRemaining.map { $0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000 } ?? -1)")
                do {
                    try await ctx.clock.sleep(for: .milliseconds(ctx.payload.ms))
                } catch {
                    observed.append("cancelled: \(ctx.cancellationReason.map { "\($0)" } ?? "-")")
                    ctx.reply(.init(ms: 0)) // dropped
                    return
                }
                ctx.reply(.init(ms: ctx.payload.ms))
            }
        }
        let client = await harness.connect(data: Session())
        let start = harness.clock.nowMs
        let result = try await client.call(Work.self, .init(ms: 5_000), meta: ["timeoutMs": 300])
        #expect(result.error?.code == .deadlineExceeded)
        #expect(result.terminalCount == 1)
        #expect(harness.clock.nowMs - start == 300)
        #expect(observed.all == ["deadline 300 left 300", "cancelled: deadlineExceeded"])
        try await harness.finish()
    }

    @Test func replyBeforeTheDeadlineCancelsItsTimer() async throws {
        let harness = try Self.harness { router in
            router.rpc(Work.self) { ctx in
                try await ctx.clock.sleep(for: .milliseconds(ctx.payload.ms))
                ctx.reply(.init(ms: ctx.payload.ms))
            }
        }
        let client = await harness.connect(data: Session())
        let result = try await client.call(Work.self, .init(ms: 100), meta: ["timeoutMs": 1_000])
        #expect(result.reply == .init(ms: 100))
        #expect(harness.clock.pendingTimerCount == 0)
        await harness.advance(by: .milliseconds(2_000))
        #expect(client.frames.count == 1)
        try await harness.finish()
    }

    @Test func zeroTimeoutIsAlreadyExceeded() async throws {
        let ran = Flag()
        let harness = try Self.harness { router in
            router.rpc(Work.self) { ctx in
                ran.set()
                ctx.reply(.init(ms: 0))
            }
        }
        let client = await harness.connect(data: Session())
        let result = try await client.call(Work.self, .init(ms: 0), meta: ["timeoutMs": 0])
        #expect(result.error?.code == .deadlineExceeded)
        #expect(!ran.isSet)
        try await harness.finish()
    }

    @Test func defaultAndMaximumTimeoutsApply() async throws {
        let deadlines = EventLog()
        let harness = try Self.harness({ router in
            router.rpc(GetUser.self) { ctx in
                deadlines.append("\(ctx.deadline.map { $0 - ctx.receivedAt } ?? -1)")
                ctx.reply(.init(name: "x"))
            }
        }, plugins: AppPlugins(rpc: RPCPlugin(defaultTimeout: .seconds(1), maxTimeout: .seconds(5))))
        let client = await harness.connect(data: Session())
        _ = try await client.call(GetUser.self, .init(id: "a"))
        _ = try await client.call(GetUser.self, .init(id: "b"), meta: ["timeoutMs": 60_000])
        _ = try await client.call(GetUser.self, .init(id: "c"), meta: ["timeoutMs": 200])
        #expect(deadlines.all == ["1000", "5000", "200"])
        try await harness.finish()
    }

    @Test func disconnectCancelsRunningHandlers() async throws {
        let log = EventLog()
        let harness = try Self.harness { router in
            router.rpc(Work.self) { ctx in
                do {
                    try await ctx.clock.sleep(for: .milliseconds(ctx.payload.ms))
                } catch {
                    log.append("cancelled: \(ctx.cancellationReason.map { "\($0)" } ?? "-")")
                    throw error
                }
                ctx.reply(.init(ms: ctx.payload.ms))
            }
            router.onClose { _ in log.append("closed") }
        }
        let client = await harness.connect(data: Session())
        let pending = try await client.startCall(Work.self, .init(ms: 60_000), meta: ["timeoutMs": 90_000])
        await client.close(code: 1006, reason: "")
        // onClose does not wait for cancelled handlers to wind down: both happen, in either order.
        #expect(Set(log.all) == ["cancelled: disconnected", "closed"])
        #expect(pending.frames.isEmpty)
        #expect(harness.errors.isEmpty)
        #expect(harness.leaks().isEmpty)
        try await harness.finish()
    }

    // MARK: Limits and concurrency

    @Test func inFlightLimitRefusesExcessCallsWithResourceExhausted() async throws {
        let harness = try Self.harness({ router in
            router.rpc(Work.self) { ctx in
                try await ctx.clock.sleep(for: .milliseconds(ctx.payload.ms))
                ctx.reply(.init(ms: ctx.payload.ms))
            }
        }, plugins: AppPlugins(rpc: RPCPlugin(maxInFlightPerConnection: 2)))
        let client = await harness.connect(data: Session())
        let first = try await client.startCall(Work.self, .init(ms: 100))
        let second = try await client.startCall(Work.self, .init(ms: 200))
        let third = try await client.startCall(Work.self, .init(ms: 1))
        let refused = try third.result()
        #expect(refused.error?.code == .resourceExhausted)
        #expect(refused.error?.retryAfterMs == 100)
        #expect(refused.error?.retryable == true)
        await harness.advance(by: .milliseconds(100))
        #expect(try first.result().reply == .init(ms: 100))
        // A slot is free again: the next call is admitted (still running, not refused).
        let fourth = try await client.startCall(Work.self, .init(ms: 10))
        #expect(fourth.frames.isEmpty)
        await harness.advance(by: .milliseconds(200))
        #expect(try second.result().reply == .init(ms: 200))
        #expect(try fourth.result().reply == .init(ms: 10))
        try await harness.finish()
    }

    @Test func duplicateCorrelationIdWhileRunningIsRefused() async throws {
        let harness = try Self.harness { router in
            router.rpc(Work.self) { ctx in
                try await ctx.clock.sleep(for: .milliseconds(ctx.payload.ms))
                ctx.reply(.init(ms: ctx.payload.ms))
            }
        }
        let client = await harness.connect(data: Session())
        _ = try await client.startCall(Work.self, .init(ms: 100), meta: ["correlationId": "same"])
        try await client.send(Work.self, .init(ms: 1), meta: ["correlationId": "same"])
        #expect(client.errors.map(\.code) == [.alreadyExists])
        await harness.advance(by: .milliseconds(100))
        #expect(try client.messages(WorkDone.self) == [.init(ms: 100)])
        try await harness.finish()
    }

    @Test func callsOnOneConnectionRunConcurrently() async throws {
        let harness = try Self.harness { router in
            router.rpc(Work.self) { ctx in
                try await ctx.clock.sleep(for: .milliseconds(ctx.payload.ms))
                ctx.reply(.init(ms: ctx.payload.ms))
            }
        }
        let client = await harness.connect(data: Session())
        let slow = try await client.startCall(Work.self, .init(ms: 500))
        let fast = try await client.call(Work.self, .init(ms: 50))
        #expect(fast.reply == .init(ms: 50))
        #expect(!slow.isSettled)
        await harness.advance(by: .milliseconds(500))
        #expect(try slow.result().reply == .init(ms: 500))
        #expect(try client.messages(WorkDone.self).map(\.ms) == [50, 500])
        try await harness.finish()
    }

    @Test func sendsFromAnRPCCanCarryTheCorrelationId() async throws {
        let harness = try Self.harness { router in
            router.rpc(GetUser.self) { ctx in
                ctx.send(Notice.self, .init(text: "side note"))
                ctx.send(Notice.self, .init(text: "correlated"), inheritCorrelationId: true)
                ctx.reply(.init(name: "x"))
                ctx.send(Notice.self, .init(text: "after reply"))
            }
        }
        let client = await harness.connect(data: Session())
        let result = try await client.call(GetUser.self, .init(id: "1"))
        #expect(client.frames.map(\.type) == ["NOTICE", "NOTICE", "USER_DATA", "NOTICE"])
        #expect(result.frames.map(\.type) == ["NOTICE", "USER_DATA"])
        try await harness.finish()
    }

    @Test func outboundValidationCatchesAReplyThatBreaksItsSchema() async throws {
        struct Strict: RPC {
            typealias Payload = Empty
            typealias Response = Bounded.Payload
            static let responseType = Bounded.type
            static let type = "STRICT"
        }
        var options = RouterOptions()
        options.outboundValidation = .enabled
        let harness = try Self.harness({ router in
            router.rpc(Strict.self) { ctx in ctx.reply(.init(ms: 999_999)) }
        }, options: options)
        let client = await harness.connect(data: Session())
        let result = try await client.call(Strict.self, Empty())
        #expect(result.error?.code == .internal)
        #expect(harness.errors.map(\.phase) == [.send])
        try await harness.finish()
    }
}

/// A response whose payload has a range its handler can break.
struct Bounded: Message {
    typealias Payload = Work.Payload
    static let type = "BOUNDED"
}
