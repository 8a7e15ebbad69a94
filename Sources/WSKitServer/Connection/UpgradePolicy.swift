import WSKitMetrics
import WSKitProtocol

/// What the server answers to a complete HTTP request head: a refusal (or a plain HTTP
/// response), or an upgrade with everything the opened `WebSocket` starts with.
enum UpgradeOutcome<Context> {
    /// Write this response and close (a refusal, or the `http` hook's answer to a non-upgrade).
    case respond(HTTPResponse)
    /// Upgrade: write `response` (the 101) and open a `WebSocket` with this data.
    case accept(AcceptedUpgrade<Context>)
}

/// An accepted upgrade: the application's data and what was negotiated.
struct AcceptedUpgrade<Context> {
    /// The application's data, from the upgrade hook.
    var context: Context
    /// The negotiated subprotocol, if any.
    var subprotocol: String?
    /// The request path of the upgrade request.
    var path: String
    /// The `101 Switching Protocols` response to write before any frame.
    var response: HTTPResponse
    /// The permessage-deflate parameters agreed with the client, or nil (off or declined).
    var deflate: PerMessageDeflateParameters?
}

/// The server's upgrade policy, free of I/O: is this an upgrade at all, may it proceed
/// (connection limits, shutdown, the total of unsent bytes), is the handshake valid (RFC 6455 §4.2.1), is the origin
/// allowed, which subprotocol is selected, what the application's upgrade hook decides, and
/// the 101 response.
///
/// Extension negotiation (for example permessage-deflate) belongs here: it reads the client's
/// offers from `UpgradeRequest.extensions`, answers in the 101's `Sec-WebSocket-Extensions`,
/// and hands the agreed extensions to the engine that `WebSocket` creates.
struct UpgradePolicy<Context> {
    let shared: ServerShared<Context>

    /// Decides what to answer to `head` from `remoteAddress`. `refusal`: the connection was
    /// refused when accepted (connection limits, client address limits).
    func decide(_ head: HTTPRequestHead, remoteAddress: String, refusal: AdmissionRefusal?) -> UpgradeOutcome<Context> {
        let configuration = shared.configuration
        guard WebSocketHandshake.isUpgradeRequest(head) else {
            shared.metrics?.increment(.httpRequests)
            return .respond(shared.behavior.http(PlainHTTPRequest(head: head, remoteAddress: remoteAddress)))
        }
        if let refusal {
            refused(refusal.reason)
            return .respond(refusal.response)
        }
        if shared.isShuttingDown {
            refused("shutting_down")
            return .respond(.serviceUnavailable(retryAfter: .seconds(5)))
        }
        if shared.bufferedBytes.isOverLimit {
            refused("buffered_bytes")
            return .respond(.serviceUnavailable(retryAfter: .seconds(5)))
        }
        let handshake: UpgradeRequest
        switch WebSocketHandshake.validateUpgrade(head) {
        case let .success(valid): handshake = valid
        case let .failure(refusal):
            refused("bad_handshake")
            return .respond(refusal.response)
        }
        if let allowed = configuration.allowedOrigins {
            guard let origin = handshake.origin, allowed.contains(origin) else {
                refused("origin")
                return .respond(.forbidden("origin not allowed"))
            }
        }
        let selected = configuration.subprotocols.first { handshake.subprotocols.contains($0) }
        let incoming = IncomingUpgrade(head: head, handshake: handshake, remoteAddress: remoteAddress, selectedSubprotocol: selected)
        switch shared.behavior.upgrade(incoming) {
        case let .refuse(response):
            refused("refused_by_app")
            return .respond(response)
        case let .accept(context, subprotocol, headers):
            let chosen = subprotocol ?? selected
            if let chosen, !handshake.subprotocols.contains(chosen) {
                shared.logger(.error, "upgrade hook chose a subprotocol the client did not offer", ["subprotocol": chosen])
                refused("bad_subprotocol")
                return .respond(.internalServerError())
            }
            let deflate = shared.negotiateCompression(handshake.extensions)
            let response = HTTPResponse.switchingProtocols(
                acceptValue: WebSocketHandshake.acceptValue(forKey: handshake.key),
                subprotocol: chosen,
                extensions: deflate.map { [$0.responseElement] } ?? [],
                extraHeaders: headers
            )
            shared.metrics?.increment(.handshakes)
            return .accept(AcceptedUpgrade(context: context, subprotocol: chosen, path: head.path, response: response, deflate: deflate))
        }
    }

    private func refused(_ reason: String) {
        shared.metrics?.increment(.connectionsRefused, by: 1, labels: MetricLabels("reason", reason))
    }
}
