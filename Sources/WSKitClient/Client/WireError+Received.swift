import WSKitContract

extension WireError {
    /// The error an `ERROR` or `RPC_ERROR` envelope from the server carries; a payload that is not
    /// a valid error becomes `INTERNAL` "malformed <type> payload", so a caller always gets one.
    static func received(in envelope: Envelope) -> WireError {
        envelope.payload.flatMap { try? WireError.parse(payload: $0).get() }
            ?? WireError(code: .internal, message: "malformed \(envelope.type) payload")
    }
}
