import Testing
import WSKitContract
import WSKitMessaging
import WSKitRPC
import WSKitRouter
import WSKitTestMessages
import WSKitTesting

/// Replies, progress and sends are written straight into the outbound buffer when outbound
/// validation is off; the frames are byte for byte those of the validated (tree) path.
@Suite struct OutboundWritingTests {
    static func frames(validation: OutboundValidation) async throws -> [String] {
        var options = RouterOptions()
        options.outboundValidation = validation
        let router = Router<Session, AppPlugins>()
        router.rpc(GetUser.self) { ctx in
            ctx.progress(.init(name: "half \"way\"", step: 1))
            ctx.send(Notice.self, .init(text: "note\n"), meta: ["traceId": "t"], inheritCorrelationId: true)
            ctx.reply(.init(name: "user \(ctx.payload.id) ☃️", step: 2), meta: ["extra": [1, 2]])
        }
        router.on(Ping.self) { ctx in ctx.send(Notice.self, .init(text: "pong")) }
        let harness = try TestHarness(router, plugins: AppPlugins(), options: options)
        let client = await harness.connect(data: Session())
        let result = try await client.call(GetUser.self, .init(id: "7"), meta: ["correlationId": "req-1"])
        #expect(result.reply == .init(name: "user 7 ☃️", step: 2))
        try await client.send(Ping.self, .init(text: "hi"))
        await harness.settle()
        let texts = client.frames.map(\.text)
        try await harness.finish()
        return texts
    }

    @Test func framesAreTheSameWithAndWithoutOutboundValidation() async throws {
        let direct = try await Self.frames(validation: .disabled)
        let validated = try await Self.frames(validation: .enabled)
        #expect(direct.count == 4)
        #expect(direct == validated)
        #expect(direct.first?.hasPrefix(#"{"type":"$ws:rpc-progress","meta":{"correlationId":"req-1","timestamp":"#) == true)
    }

    @Test func aReplyThatCannotBeEncodedIsAnsweredWithInternal() async throws {
        struct Ratio: Message {
            struct Payload: Codable, Sendable, Equatable { var value: Double }
            static let type = "RATIO"
        }
        struct Divide: RPC {
            typealias Payload = Empty
            typealias Response = Ratio.Payload
            static let responseType = Ratio.type
            static let type = "DIVIDE"
        }
        var options = RouterOptions()
        options.outboundValidation = .disabled
        let router = Router<Session, AppPlugins>()
        router.rpc(Divide.self) { ctx in ctx.reply(.init(value: .infinity)) }
        let harness = try TestHarness(router, plugins: AppPlugins(), options: options)
        let client = await harness.connect(data: Session())
        let result = try await client.call(Divide.self, Empty())
        #expect(result.error?.code == .internal)
        #expect(result.frames.count == 1)
        #expect(harness.errors.map(\.phase) == [.send])
        try await harness.finish()
    }
}
