// expect: compiles
let router = Router<Void, Both>()
router.on(Ping.self) { ctx in ctx.send(Pong.self) }
router.rpc(Get.self) { ctx in
    ctx.progress(Empty())
    ctx.reply()
}
router.onOpen { ctx in ctx.send(Pong.self) }
router.use { ctx, next in
    ctx.send(Pong.self)
    try await next()
}
