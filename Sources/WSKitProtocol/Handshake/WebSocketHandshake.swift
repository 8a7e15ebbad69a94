/// The server side of the WebSocket opening handshake (RFC 6455 §4.2): recognise, validate and
/// answer an upgrade request. Pure functions over parsed heads; no I/O.
///
/// Typical server flow:
/// ```swift
/// switch parser.parse(bytes) {
/// case .needMoreData: break
/// case .failure(let error): write(error.response); close()
/// case .complete(let head, let consumed):
///     guard WebSocketHandshake.isUpgradeRequest(head) else { /* plain HTTP route */ }
///     switch WebSocketHandshake.validateUpgrade(head) {
///     case .failure(let refusal): write(refusal.response); close()
///     case .success(let request):
///         write(.switchingProtocols(for: request, subprotocol: request.selectSubprotocol(from: ["chat"])))
///         // bytes[consumed...] are WebSocket frames: feed them to the engine.
///     }
/// }
/// ```
public enum WebSocketHandshake {
    /// The GUID appended to the key before hashing (RFC 6455 §1.3).
    public static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
    /// The only protocol version this implementation speaks (RFC 6455 §4.1).
    public static let version = "13"

    /// `Sec-WebSocket-Accept` for a `Sec-WebSocket-Key`: base64(SHA-1(key + GUID)) (RFC 6455 §4.2.2).
    public static func acceptValue(forKey key: String) -> String {
        var hasher = SHA1()
        hasher.update(utf8: key)
        let guid: StaticString = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
        hasher.update(UnsafeRawBufferPointer(start: guid.utf8Start, count: guid.utf8CodeUnitCount))
        var digest: (UInt64, UInt64, UInt32) = (0, 0, 0)
        return withUnsafeMutableBytes(of: &digest) { raw in
            hasher.finalize(into: raw)
            return Base64.encode(UnsafeRawBufferPointer(rebasing: raw[0 ..< SHA1.digestLength]))
        }
    }

    /// Whether the request asks for a WebSocket upgrade (`Upgrade` lists `websocket`), so a server
    /// can route plain HTTP requests elsewhere. It says nothing about validity.
    public static func isUpgradeRequest(_ head: HTTPRequestHead) -> Bool {
        head.headers.containsToken("websocket", in: "Upgrade")
    }

    /// Checks a request against RFC 6455 §4.2.1 and returns its WebSocket facts, or the refusal
    /// to send. Rules in the order checked:
    ///
    /// 1. method `GET`, else 405;
    /// 2. HTTP/1.1 or later, else 400;
    /// 3. `Host` present, else 400;
    /// 4. `Upgrade` lists `websocket` (case-insensitive), else 400;
    /// 5. `Connection` lists `Upgrade` (case-insensitive), else 400;
    /// 6. exactly one `Sec-WebSocket-Version`, equal to `13`, else 426 with
    ///    `Sec-WebSocket-Version: 13` (400 if repeated);
    /// 7. exactly one `Sec-WebSocket-Key` that is the base64 of 16 bytes, else 400;
    /// 8. no body (`Content-Length` absent or 0, no `Transfer-Encoding`), else 400;
    /// 9. `Sec-WebSocket-Protocol`, if present, a list of tokens, else 400;
    /// 10. `Sec-WebSocket-Extensions`, if present, well-formed (§9.1), else 400.
    ///
    /// Origin, path, subprotocol choice and authentication are the application's decisions.
    public static func validateUpgrade(_ head: HTTPRequestHead) -> Result<UpgradeRequest, HandshakeRefusal> {
        let headers = head.headers
        guard head.method == "GET" else { return .failure(HandshakeRefusal(.methodNotGet)) }
        guard head.version >= .http1_1 else { return .failure(HandshakeRefusal(.httpVersionTooOld)) }
        guard let host = headers["Host"] else { return .failure(HandshakeRefusal(.missingHost)) }
        guard headers.containsToken("websocket", in: "Upgrade") else {
            return .failure(HandshakeRefusal(.missingUpgradeWebSocket))
        }
        guard headers.containsToken("Upgrade", in: "Connection") else {
            return .failure(HandshakeRefusal(.missingConnectionUpgrade))
        }

        let versions = headers.values(for: "Sec-WebSocket-Version")
        guard versions.count <= 1 else { return .failure(HandshakeRefusal(.duplicateWebSocketVersion)) }
        guard versions.first == version else { return .failure(HandshakeRefusal(.unsupportedWebSocketVersion)) }

        let keys = headers.values(for: "Sec-WebSocket-Key")
        guard let key = keys.first else { return .failure(HandshakeRefusal(.missingKey)) }
        guard keys.count == 1, isValidKey(key) else { return .failure(HandshakeRefusal(.invalidKey)) }

        if let length = headers["Content-Length"], length != "0" || headers.count(of: "Content-Length") > 1 {
            return .failure(HandshakeRefusal(.unexpectedBody))
        }
        if headers.contains("Transfer-Encoding") { return .failure(HandshakeRefusal(.unexpectedBody)) }

        let protocolValues = headers.values(for: "Sec-WebSocket-Protocol")
        var subprotocols: [String] = []
        if !protocolValues.isEmpty {
            guard let parsed = HTTPListSyntax.tokens(protocolValues) else {
                return .failure(HandshakeRefusal(.malformedSubprotocols))
            }
            subprotocols = parsed
        }

        let extensionValues = headers.values(for: "Sec-WebSocket-Extensions")
        var extensions: [WebSocketExtensionOffer] = []
        if !extensionValues.isEmpty {
            guard let parsed = WebSocketExtensionOffer.parse(headerValues: extensionValues) else {
                return .failure(HandshakeRefusal(.malformedExtensions))
            }
            extensions = parsed
        }

        return .success(UpgradeRequest(
            head: head,
            key: key,
            host: host,
            origin: headers["Origin"],
            subprotocols: subprotocols,
            extensions: extensions
        ))
    }

    /// Whether `key` is the canonical base64 encoding of exactly 16 bytes (RFC 6455 §4.1 item 7).
    static func isValidKey(_ key: String) -> Bool {
        key.utf8.count == 24 && Base64.decode(key)?.count == 16
    }
}
