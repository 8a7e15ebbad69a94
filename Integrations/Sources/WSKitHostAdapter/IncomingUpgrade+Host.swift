import WSKitProtocol
import WSKitServer

extension IncomingUpgrade {
    /// The upgrade request another host received, as WSKit's upgrade hooks see it: `target` is
    /// the request target (path and query), `headers` every header in order.
    public init(method: String, target: String, headers: [(name: String, value: String)], remoteAddress: String) {
        let head = HTTPRequestHead(method: method, target: target, headers: HTTPHeaders(headers.map { ($0.name, $0.value) }))
        let handshake = UpgradeRequest(
            head: head,
            key: head.headers["sec-websocket-key"] ?? "",
            host: head.headers["host"] ?? "",
            origin: head.headers["origin"],
            subprotocols: (head.headers["sec-websocket-protocol"] ?? "")
                .split(separator: ",").map { String($0.filter { !$0.isWhitespace }) }.filter { !$0.isEmpty }
        )
        self.init(head: head, handshake: handshake, remoteAddress: remoteAddress)
    }
}
