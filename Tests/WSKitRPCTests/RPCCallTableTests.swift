import Testing
import WSKitContract
import WSKitMessaging
import WSKitRPC
import WSKitRouter
import WSKitTestMessages
import WSKitTesting

/// The per-connection call table keeps its rules (duplicates refused, limit enforced, abort
/// finds the call) below and above the size where it switches from an array to a dictionary.
@Suite struct RPCCallTableTests {
    @Test(arguments: [3, 40])
    func manyConcurrentCallsKeepDuplicateAbortAndLimitRules(calls: Int) async throws {
        let router = Router<Session, AppPlugins>()
        router.rpc(Work.self) { ctx in
            try await ctx.clock.sleep(for: .milliseconds(ctx.payload.ms))
            ctx.reply(.init(ms: ctx.payload.ms))
        }
        var plugins = AppPlugins()
        plugins.rpc = RPCPlugin(maxInFlightPerConnection: calls)
        let harness = try TestHarness(router, plugins: plugins)
        let client = await harness.connect(data: Session())
        var pending: [PendingCall<Work, Session, AppPlugins>] = []
        for index in 0..<calls {
            pending.append(try await client.startCall(Work.self, .init(ms: 100 + index), meta: ["correlationId": .string("c\(index)")]))
        }
        // A running id is refused; one over the limit is refused.
        try await client.send(Work.self, .init(ms: 1), meta: ["correlationId": .string("c\(calls - 1)")])
        try await client.send(Work.self, .init(ms: 1), meta: ["correlationId": "extra"])
        #expect(client.errors.map(\.code) == [.alreadyExists, .resourceExhausted])
        // Abort finds a call wherever it is in the table.
        await client.abort("c\(calls - 2)")
        #expect(try pending[calls - 2].result().error?.code == .cancelled)
        await client.abort("c0")
        #expect(try pending[0].result().error?.code == .cancelled)
        await harness.advance(by: .milliseconds(Int64(100 + calls)))
        for index in 1..<(calls - 2) { #expect(try pending[index].result().reply == .init(ms: 100 + index)) }
        // The call whose id was refused as a duplicate still replied (after the refusal's RPC_ERROR).
        #expect(try client.messages(WorkDone.self).map(\.ms).last == 100 + calls - 1)
        // Every call is gone from the table: the same ids run again.
        client.clearFrames()
        let again = try await client.call(Work.self, .init(ms: 5), meta: ["correlationId": "c1"])
        #expect(again.reply == .init(ms: 5))
        try await harness.finish()
    }
}
