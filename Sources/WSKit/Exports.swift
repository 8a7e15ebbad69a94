// `import WSKit` brings the whole framework: the wire contract, the router and the epoll server,
// plus the glue in this target that hosts a router on the server.
@_exported import WSKitContract
@_exported import WSKitProtocol
@_exported import WSKitRouter
@_exported import WSKitServer
