// expect-error: has no member 'reply'
let router = Router<Void, Both>()
router.on(Ping.self) { ctx in ctx.reply() }
