// Returning RPC handlers, synchronous and async, and a self-answering one (ADR 0012).
// check: sil
struct Failure: WireErrorConvertible { var wireError: WireError { WireError(.notFound) } }
let router = Router<Void, Both>()
router.rpc(Get.self) { ctx in
    if ctx.clientId.isEmpty { throw Failure() }
    return Empty()
}
let async = Router<Void, Both>()
async.rpc(Get.self) { ctx in
    try await ctx.clock.sleep(for: .milliseconds(1))
    return Empty()
}
let answering = Router<Void, Both>()
answering.rpc(Get.self) { ctx in ctx.reply() }
