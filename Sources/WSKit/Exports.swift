// `import WSKit` brings everything an application's server needs: the wire contract and its
// validators (`Codable` payloads, `@Length`, …), the router, the epoll server (plus the glue in
// this target that hosts a router on it), and the standard plugins — messaging (`ctx.send`), RPC
// (`router.rpc`), pub/sub (`ctx.topics`, `publish`), presence (`ctx.presence`), rate limiting and
// heartbeats.
//
// The lean targets stay available for those who want less: depend on `WSKitRouter`,
// `WSKitServer` or a single plugin's product and import that instead. The Redis adapters
// (`WSKitPubSubRedis`, `WSKitPresenceRedis`, `WSKitRateLimitRedis`), the client (`WSKitClient`) and the test harness
// (`WSKitTesting`) are separate products and separate imports.
@_exported import WSKitContract
@_exported import WSKitHeartbeat
@_exported import WSKitMessaging
@_exported import WSKitPresence
@_exported import WSKitProtocol
@_exported import WSKitPubSub
@_exported import WSKitRateLimit
@_exported import WSKitRouter
@_exported import WSKitRPC
@_exported import WSKitServer
@_exported import WSKitValidation
@_exported import WSKitMetrics
