import WSKitProtocol

/// permessage-deflate on the client: the server's answer to our offer becomes the engine's
/// extension, or fails the connection when it is invalid (RFC 7692 §7.1).
extension ConnectionDriver {
    func compressionExtensions(
        _ accepted: WebSocketClientHandshake.Accepted
    ) -> Result<[any WebSocketExtension], WebSocketClientHandshakeError> {
        guard let options = options.compression else { return .success([]) }
        switch PerMessageDeflate.accept(response: accepted.extensions, options: options) {
        case .failure(let error):
            return .failure(error)
        case .success(nil):
            return .success([])
        case .success(let parameters?):
            return .success([PerMessageDeflate(parameters: parameters, role: .client, options: options)])
        }
    }
}
