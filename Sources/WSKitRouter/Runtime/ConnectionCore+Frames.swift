extension ConnectionCore {
    /// The transport's encoded-frame capability, if it has one (see ``EncodedFrameTransport``):
    /// what fan-out plugins deliver pre-encoded frames through. Read it once (it is a dynamic cast).
    public var encodedFrameTransport: (any EncodedFrameTransport)? {
        transport as? any EncodedFrameTransport
    }

    /// Sends one text frame whose body is already serialised (UTF-8 JSON), through the same lock
    /// and in the same order as ``send(_:for:terminal:)``. For fan-out to hosts without
    /// ``EncodedFrameTransport``. Returns `.dropped` once the connection is closed or closing.
    @discardableResult
    public func send(serializedText bytes: UnsafeRawBufferPointer) -> SendResult {
        outbound.withLock { state -> SendResult in
            if state.closed { return .dropped }
            return transport.send(text: bytes)
        }
    }
}
