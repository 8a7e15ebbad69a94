// A returning RPC handler must answer on every path: a path that neither returns the response
// nor throws does not compile (ADR 0012).
// check: sil
// expect-error: missing return in closure expected to return
let router = Router<Void, Both>()
router.rpc(Get.self) { ctx in
    if ctx.clientId.isEmpty { return Empty() }
}
