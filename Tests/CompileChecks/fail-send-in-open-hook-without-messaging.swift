// expect-error: requires that 'NoPlugins' conform to 'MessagingInstalled'
let router = Router<Void, NoPlugins>()
router.onOpen { ctx in ctx.send(Pong.self) }
