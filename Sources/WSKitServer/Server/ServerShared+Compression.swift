import WSKitProtocol

/// permessage-deflate on the server: negotiation with the configured policy, and the extension
/// of each connection, sharing its loop's zlib streams where the parameters allow.
extension ServerShared {
    /// The parameters agreed with the client's offers, or nil (compression off, or declined).
    func negotiateCompression(_ offers: [WebSocketExtensionOffer]) -> PerMessageDeflateParameters? {
        guard let options = configuration.compression, !offers.isEmpty else { return nil }
        return PerMessageDeflate.negotiate(offers: offers, options: options)
    }

    /// The engine's extensions for `parameters` on `loop`: none when nil.
    func compressionExtensions(_ parameters: PerMessageDeflateParameters?, loop: EventLoop) -> [any WebSocketExtension] {
        guard let parameters, let options = configuration.compression else { return [] }
        let streams = deflateStreams.isEmpty ? nil : deflateStreams[loop.index % deflateStreams.count]
        return [PerMessageDeflate(parameters: parameters, role: .server, options: options, streams: streams)]
    }
}
