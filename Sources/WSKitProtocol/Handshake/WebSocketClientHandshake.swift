/// The client side of the WebSocket opening handshake (RFC 6455 §4.1): builds the upgrade request
/// and validates the server's response. Pure values; no I/O.
///
/// ```swift
/// let handshake = WebSocketClientHandshake(host: "example.com", target: "/chat", subprotocols: ["chat"])
/// handshake.writeRequest(into: &output)
/// // … read until HTTPResponseParser returns .complete(head, consumed) …
/// switch handshake.validate(response: head) {
/// case .success(let accepted): // open; bytes[consumed...] are frames for the engine
/// case .failure(let error):    // fail the connection
/// }
/// ```
public struct WebSocketClientHandshake: Sendable, Hashable {
    /// What the server agreed to in a valid 101 response.
    public struct Accepted: Sendable, Hashable {
        /// The subprotocol the server selected, if any (always one the client offered).
        public var subprotocol: String?
        /// The extensions the server accepted, in its order, with its parameters (each one the
        /// client offered).
        public var extensions: [WebSocketExtensionOffer]
        /// The whole response head (cookies and other fields).
        public var response: HTTPResponseHead
    }

    /// The `Host` field value: the host, plus `:port` when not the scheme's default.
    public var host: String
    /// The request target: path and query, for example `/chat?room=1`.
    public var target: String
    /// `Sec-WebSocket-Key`: base64 of 16 random bytes, fresh for each connection.
    public let key: String
    /// The subprotocols offered, in order of preference.
    public var subprotocols: [String]
    /// The extensions offered, in order of preference.
    public var extensions: [WebSocketExtensionOffer]
    /// The `Origin` field, if any (browsers send one; other clients may).
    public var origin: String?
    /// Fields added after the WebSocket ones (for example `Authorization`, `Cookie`).
    public var extraHeaders: HTTPHeaders

    /// Creates a handshake.
    ///
    /// - Parameters:
    ///   - key: the `Sec-WebSocket-Key`; by default 16 bytes from the system generator. It must be
    ///     the base64 encoding of 16 bytes.
    ///   - subprotocols: tokens, in order of preference.
    /// - Precondition: `target` is non-empty and made of visible ASCII; `key` is valid; every
    ///   subprotocol is a token.
    public init(
        host: String,
        target: String = "/",
        key: String = WebSocketClientHandshake.generateKey(),
        subprotocols: [String] = [],
        extensions: [WebSocketExtensionOffer] = [],
        origin: String? = nil,
        extraHeaders: HTTPHeaders = HTTPHeaders()
    ) {
        precondition(!target.isEmpty && target.utf8.allSatisfy { (0x21 ... 0x7E).contains($0) }, "invalid request target")
        precondition(WebSocketHandshake.isValidKey(key), "Sec-WebSocket-Key must be the base64 of 16 bytes")
        precondition(subprotocols.allSatisfy(HTTPSyntax.isToken), "subprotocols must be tokens")
        self.host = host
        self.target = target
        self.key = key
        self.subprotocols = subprotocols
        self.extensions = extensions
        self.origin = origin
        self.extraHeaders = extraHeaders
    }

    /// A fresh key: base64 of 16 bytes from the system's random generator.
    public static func generateKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return generateKey(using: &generator)
    }

    /// A fresh key: base64 of 16 bytes from `generator` (inject one for reproducible tests).
    public static func generateKey<Generator: RandomNumberGenerator>(using generator: inout Generator) -> String {
        var bytes: (UInt64, UInt64) = (generator.next(), generator.next())
        return withUnsafeBytes(of: &bytes) { Base64.encode($0) }
    }

    /// The key for 16 given bytes.
    /// - Precondition: `bytes.count == 16`.
    public static func key(fromBytes bytes: [UInt8]) -> String {
        precondition(bytes.count == 16, "a Sec-WebSocket-Key encodes exactly 16 bytes")
        return Base64.encode(bytes)
    }

    /// The `Sec-WebSocket-Accept` value a conforming server answers with.
    public var expectedAcceptValue: String { WebSocketHandshake.acceptValue(forKey: key) }

    /// The request head this handshake sends.
    public var requestHead: HTTPRequestHead {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: host)
        headers.add(name: "Upgrade", value: "websocket")
        headers.add(name: "Connection", value: "Upgrade")
        headers.add(name: "Sec-WebSocket-Key", value: key)
        headers.add(name: "Sec-WebSocket-Version", value: WebSocketHandshake.version)
        if let origin { headers.add(name: "Origin", value: origin) }
        if !subprotocols.isEmpty {
            headers.add(name: "Sec-WebSocket-Protocol", value: subprotocols.joined(separator: ", "))
        }
        if !extensions.isEmpty {
            headers.add(name: "Sec-WebSocket-Extensions", value: WebSocketExtensionOffer.headerValue(extensions))
        }
        headers.add(contentsOf: extraHeaders)
        return HTTPRequestHead(method: "GET", target: target, version: .http1_1, headers: headers)
    }

    /// Appends the request bytes: `GET <target> HTTP/1.1`, `Host`, `Upgrade`, `Connection`,
    /// `Sec-WebSocket-Key`, `Sec-WebSocket-Version: 13`, then `Origin`, `Sec-WebSocket-Protocol`
    /// and `Sec-WebSocket-Extensions` when set, then `extraHeaders`, then the empty line.
    /// Control characters in field values are written as spaces.
    public func writeRequest(into output: inout OutputBuffer) {
        output.append(utf8: "GET ")
        output.append(utf8: target)
        output.append(utf8: " HTTP/1.1\r\n")
        for field in requestHead.headers {
            HTTPResponse.appendSanitized(field.name, into: &output, forName: true)
            output.append(utf8: ": ")
            HTTPResponse.appendSanitized(field.value, into: &output)
            output.append(utf8: "\r\n")
        }
        output.append(utf8: "\r\n")
    }

    /// The request bytes (see `writeRequest(into:)`).
    public var requestBytes: [UInt8] {
        var output = OutputBuffer(capacity: 256)
        writeRequest(into: &output)
        return output.bytes
    }

    /// Checks the server's response head against RFC 6455 §4.1 (steps 1–6 of the client's
    /// validation), in this order: status 101; `Upgrade` equal to `websocket` (case-insensitive);
    /// `Connection` listing `Upgrade`; `Sec-WebSocket-Accept` equal to `expectedAcceptValue`;
    /// `Sec-WebSocket-Extensions` well-formed and naming only offered extensions, each at most
    /// once; `Sec-WebSocket-Protocol` absent or a single offered subprotocol.
    public func validate(response: HTTPResponseHead) -> Result<Accepted, WebSocketClientHandshakeError> {
        let headers = response.headers
        guard response.status.code == 101 else { return .failure(.unexpectedStatus(response.status)) }
        guard headers.count(of: "Upgrade") == 1, let upgrade = headers["Upgrade"],
              HTTPSyntax.equalsIgnoringASCIICase(upgrade.utf8, "websocket".utf8)
        else { return .failure(.invalidUpgradeHeader) }
        guard headers.containsToken("Upgrade", in: "Connection") else { return .failure(.invalidConnectionHeader) }
        let accepts = headers.values(for: "Sec-WebSocket-Accept")
        guard let accept = accepts.first else { return .failure(.missingAccept) }
        guard accepts.count == 1, accept == expectedAcceptValue else { return .failure(.wrongAccept(accept)) }

        var accepted: [WebSocketExtensionOffer] = []
        let extensionValues = headers.values(for: "Sec-WebSocket-Extensions")
        if !extensionValues.isEmpty {
            guard let parsed = WebSocketExtensionOffer.parse(headerValues: extensionValues) else {
                return .failure(.malformedExtensions)
            }
            for (index, element) in parsed.enumerated() {
                let offered = extensions.contains { HTTPSyntax.equalsIgnoringASCIICase($0.name.utf8, element.name.utf8) }
                let repeated = parsed[..<index].contains { HTTPSyntax.equalsIgnoringASCIICase($0.name.utf8, element.name.utf8) }
                guard offered, !repeated else { return .failure(.extensionNotOffered(element.name)) }
            }
            accepted = parsed
        }

        var subprotocol: String?
        let protocolValues = headers.values(for: "Sec-WebSocket-Protocol")
        if !protocolValues.isEmpty {
            guard protocolValues.count == 1, HTTPSyntax.isToken(protocolValues[0]) else {
                return .failure(.malformedSubprotocol)
            }
            guard subprotocols.contains(protocolValues[0]) else {
                return .failure(.subprotocolNotOffered(protocolValues[0]))
            }
            subprotocol = protocolValues[0]
        }
        return .success(Accepted(subprotocol: subprotocol, extensions: accepted, response: response))
    }
}
