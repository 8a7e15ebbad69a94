// expect-error: requires that 'NoPlugins' conform to 'MessagingInstalled'
let router = Router<Void, NoPlugins>()
router.on(Ping.self) { ctx in ctx.send(Pong.self) }
