/// permessage-deflate negotiation (RFC 7692 §5, §7.1): the server answers the first acceptable
/// offer; the client offers once and checks the answer.
extension PerMessageDeflate {
    /// The server's choice among the client's offers (in the client's order of preference): the
    /// parameters of the first permessage-deflate offer that is valid and acceptable, or nil to
    /// decline the extension (every offer invalid, or none made).
    ///
    /// An invalid offer (unknown or repeated parameter, a value where none is allowed, a window
    /// size outside 8...15) is declined, not refused: the next offer is tried (§7.1).
    /// Put `parameters.responseElement` in the 101 response.
    public static func negotiate(
        offers: [WebSocketExtensionOffer],
        options: PerMessageDeflateOptions
    ) -> PerMessageDeflateParameters? {
        let options = options.clamped
        for offer in offers {
            guard let element = PerMessageDeflateElement(offer, isOffer: true) else { continue }
            var parameters = PerMessageDeflateParameters()
            // server_no_context_takeover: the client may require it; we may add it.
            parameters.serverNoContextTakeover = element.serverNoContextTakeover || !options.contextTakeover
            // client_no_context_takeover: the server may add it in any case; a client that offers
            // it resets anyway, and saying so lets our decompressor be freed between messages.
            parameters.clientNoContextTakeover = element.clientNoContextTakeover || !options.peerContextTakeover
            // server_max_window_bits: at most what the client asked; we may lower it.
            parameters.serverMaxWindowBits = min(element.serverMaxWindowBits ?? 15, options.maxWindowBits)
            // client_max_window_bits: only when the client offered the parameter.
            switch element.clientMaxWindowBits {
            case .none:
                parameters.clientMaxWindowBits = 15
            case .some(.none):
                parameters.clientMaxWindowBits = options.peerMaxWindowBits ?? 15
            case .some(.some(let offered)):
                parameters.clientMaxWindowBits = min(offered, options.peerMaxWindowBits ?? 15)
            }
            return parameters
        }
        return nil
    }

    /// The client's offer for `options`: `permessage-deflate` with `client_max_window_bits`
    /// (bare, or with `maxWindowBits` when below 15), plus the parameters `options` asks for.
    public static func offer(_ options: PerMessageDeflateOptions) -> WebSocketExtensionOffer {
        let options = options.clamped
        var element = WebSocketExtensionOffer(name: PerMessageDeflateParameters.extensionName)
        if !options.contextTakeover { element.parameters.append(.init(name: "client_no_context_takeover")) }
        if !options.peerContextTakeover { element.parameters.append(.init(name: "server_no_context_takeover")) }
        if let bits = options.peerMaxWindowBits, bits < 15 {
            element.parameters.append(.init(name: "server_max_window_bits", value: String(bits)))
        }
        element.parameters.append(
            .init(name: "client_max_window_bits", value: options.maxWindowBits < 15 ? String(options.maxWindowBits) : nil))
        return element
    }

    /// The client's reading of the server's accepted extensions after offering
    /// `offer(options)`: the agreed parameters, nil when the server declined permessage-deflate,
    /// or an error when its answer is invalid or does not fit the offer — the client must then
    /// fail the connection (§7.1).
    public static func accept(
        response: [WebSocketExtensionOffer],
        options: PerMessageDeflateOptions
    ) -> Result<PerMessageDeflateParameters?, WebSocketClientHandshakeError> {
        let options = options.clamped
        let name = PerMessageDeflateParameters.extensionName
        let answers = response.filter { HTTPSyntax.equalsIgnoringASCIICase($0.name.utf8, name.utf8) }
        guard let answer = answers.first else { return .success(nil) }
        func invalid(_ why: String) -> Result<PerMessageDeflateParameters?, WebSocketClientHandshakeError> {
            .failure(.invalidExtensionResponse("\(name): \(why)"))
        }
        guard answers.count == 1 else { return invalid("accepted more than once") }
        guard let element = PerMessageDeflateElement(answer, isOffer: false) else {
            return invalid("invalid parameters in \(answer.headerValue)")
        }
        var parameters = PerMessageDeflateParameters()
        if !options.peerContextTakeover && !element.serverNoContextTakeover {
            return invalid("server_no_context_takeover was requested but not accepted")
        }
        parameters.serverNoContextTakeover = element.serverNoContextTakeover
        if let requested = options.peerMaxWindowBits, requested < 15 {
            guard let answered = element.serverMaxWindowBits, answered <= requested else {
                return invalid("server_max_window_bits=\(requested) was requested but not honoured")
            }
        }
        parameters.serverMaxWindowBits = element.serverMaxWindowBits ?? 15
        parameters.clientNoContextTakeover = element.clientNoContextTakeover || !options.contextTakeover
        let offered = options.maxWindowBits
        if case .some(.some(let answered)) = element.clientMaxWindowBits {
            guard answered <= offered else { return invalid("client_max_window_bits=\(answered) exceeds the offer") }
            parameters.clientMaxWindowBits = answered
        } else {
            parameters.clientMaxWindowBits = offered
        }
        return .success(parameters)
    }
}
