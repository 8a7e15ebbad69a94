import Testing
import WSKitContract
import WSKitMessaging
import WSKitRPC
import WSKitRouter
import WSKitTestMessages
import WSKitTesting

/// An application error that maps itself to wire errors.
private enum PollError: WireErrorConvertible {
    case unknownPoll(String)
    case busy

    var wireError: WireError {
        switch self {
        case .unknownPoll(let id): WireError(.notFound, "No poll \(id)", details: ["pollId": .string(id)])
        case .busy: WireError(code: .unavailable, message: "Try later", retryAfterMs: 250)
        }
    }
}

/// An error that knows nothing of the wire.
private struct Opaque: Error, CustomStringConvertible {
    var description: String { "opaque secret" }
}

/// What a thrown error becomes on the wire (docs/wire-protocol.md §6): `WireError` as is,
/// `WireErrorConvertible` through its mapping — in handlers, middleware and plugins — anything
/// else `INTERNAL`.
@Suite struct ErrorMappingTests {
    typealias AppRouter = Router<Session, AppPlugins>

    static func harness(
        options: RouterOptions = RouterOptions(), _ configure: (AppRouter) -> Void
    ) throws -> TestHarness<Session, AppPlugins> {
        let router = AppRouter()
        configure(router)
        return try TestHarness(router, plugins: AppPlugins(), options: options)
    }

    @Test func anAppErrorThrownByAnRPCHandlerIsSentAsItsWireError() async throws {
        let harness = try Self.harness { router in
            router.rpc(GetUser.self) { ctx in
                if ctx.payload.id == "busy" { throw PollError.busy }
                throw PollError.unknownPoll(ctx.payload.id)
            }
        }
        let client = await harness.connect(data: Session())
        let unknown = try await client.call(GetUser.self, .init(id: "p1"))
        let error = try #require(unknown.error)
        #expect(error.code == .notFound)
        #expect(error.message == "No poll p1")
        #expect(error.details == ["pollId": "p1"])
        #expect(error.retryable == false)
        let busy = try #require(try await client.call(GetUser.self, .init(id: "busy")).error)
        #expect(busy.code == .unavailable)
        #expect(busy.retryAfterMs == 250)
        #expect(busy.retryable == true)
        try await harness.finish()
    }

    @Test func anAppErrorThrownByAnEventHandlerIsAnUncorrelatedError() async throws {
        let harness = try Self.harness { router in
            router.on(Notice.self) { _ in throw PollError.unknownPoll("n") }
        }
        let client = await harness.connect(data: Session())
        try await client.send(Notice.self, .init(text: "hi"))
        #expect(client.errors.map(\.code) == [.notFound])
        #expect(client.frames.map(\.type) == ["ERROR"])
        try await harness.finish()
    }

    @Test func anAppErrorThrownByMiddlewareIsSentAndStopsTheHandler() async throws {
        let ran = Flag()
        let harness = try Self.harness { router in
            router.use { _, _ in throw PollError.busy }
            router.rpc(GetUser.self) { _ in
                ran.set()
                return .init(name: "never")
            }
        }
        let client = await harness.connect(data: Session())
        let result = try await client.call(GetUser.self, .init(id: "x"))
        #expect(result.error?.code == .unavailable)
        #expect(!ran.isSet)
        try await harness.finish()
    }

    @Test func aMappedErrorsDetailsAreStillSanitised() async throws {
        let harness = try Self.harness { router in
            router.rpc(GetUser.self) { _ in
                throw WireError(.permissionDenied, "no", details: ["password": "hunter2", "room": "r"])
            }
        }
        let client = await harness.connect(data: Session())
        let error = try #require(try await client.call(GetUser.self, .init(id: "x")).error)
        #expect(error.details == ["room": "r"])
        try await harness.finish()
    }

    @Test func anyOtherErrorIsInternalWithItsDescriptionHidden() async throws {
        let harness = try Self.harness { router in
            router.rpc(GetUser.self) { _ in throw Opaque() }
        }
        let client = await harness.connect(data: Session())
        let error = try #require(try await client.call(GetUser.self, .init(id: "x")).error)
        #expect(error.code == .internal)
        #expect(!error.message.contains("secret"))
        try await harness.finish()
    }

    @Test func ctxErrorAcceptsAnAppError() async throws {
        let harness = try Self.harness { router in
            router.rpc(GetUser.self) { ctx in ctx.error(PollError.unknownPoll("q")) }
        }
        let client = await harness.connect(data: Session())
        #expect(try await client.call(GetUser.self, .init(id: "x")).error?.message == "No poll q")
        try await harness.finish()
    }

    @Test func theDescriptionOfAValidationErrorListsItsIssues() {
        let failure = ValidationFailure(issues: [
            ValidationIssue(path: JSONPath.payload.appending(key: "text"), message: "too short", code: "too_small"),
            ValidationIssue(path: JSONPath.payload.appending(key: "id"), message: "required", code: "required"),
        ])
        #expect(failure.wireError.description
            == "INVALID_ARGUMENT: Validation failed (payload.text: too short; payload.id: required)")
        #expect(WireError(.notFound, "gone").description == "NOT_FOUND: gone")
    }
}
