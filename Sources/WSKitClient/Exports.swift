// `import WSKitClient` brings what its API speaks in: the wire contract (`Message`, `RPC`,
// `JSONValue`, `WireError`, …) and the protocol core's public types (`WebSocketCloseCode`,
// `HTTPHeaders`, `WebSocketLimits`, …).
@_exported import WSKitContract
@_exported import WSKitProtocol
#if canImport(WSKitTLS)
// `wss://` settings (`TLSClientConfiguration`, `TLSError`) for `TLSTransport`.
@_exported import WSKitTLS
#endif
