// expect-error: requires that 'MessagingOnly' conform to 'RPCInstalled'
let router = Router<Void, MessagingOnly>()
router.rpc(Get.self) { ctx in ctx.reply() }
