import WSKitContract

/// A frame the server sent to a test connection, parsed.
public struct TestFrame: Sendable, Hashable, CustomStringConvertible {
    /// The frame's text.
    public let text: String
    /// The `type`.
    public let type: String
    /// The `meta` object (empty when absent).
    public let meta: JSONObject
    /// The `payload`, if present.
    public let payload: JSONValue?

    /// Parses a frame; a frame that is not an envelope keeps its text and gets type `"<invalid>"`.
    public init(text: String) {
        self.text = text
        if let root = try? JSON.parse(text), case .object(let object) = root {
            type = object["type"]?.stringValue ?? "<invalid>"
            meta = object["meta"]?.objectValue ?? [:]
            payload = object["payload"]
        } else {
            type = "<invalid>"
            meta = [:]
            payload = nil
        }
    }

    /// `meta.correlationId`, if any.
    public var correlationId: String? { meta[MetaKey.correlationId]?.stringValue }

    /// `meta.timestamp`, if any.
    public var timestamp: Int64? { meta[MetaKey.timestamp]?.doubleValue.map { Int64($0) } }

    /// Whether this is `ERROR` or `RPC_ERROR`.
    public var isError: Bool { type == ReservedType.error || type == ReservedType.rpcError }

    /// The error carried by an `ERROR`/`RPC_ERROR` frame.
    public var wireError: WireError? {
        guard isError, let payload, case .success(let error) = WireError.parse(payload: payload) else { return nil }
        return error
    }

    /// Whether this is an `M`.
    public func `is`<M: Message>(_ type: M.Type) -> Bool { self.type == M.type }

    /// Decodes the payload as an `M`'s (validating it like an inbound one).
    public func decode<M: Message>(_ type: M.Type) throws(HarnessError) -> M.Payload {
        guard self.type == M.type else { throw HarnessError.unexpectedFrame(expected: M.type, frame: self) }
        switch M.decodePayload(payload) {
        case .success(let value): return value
        case .failure(let failure): throw HarnessError.undecodable(type: M.type, failure)
        }
    }

    /// The frame's text.
    public var description: String { text }
}
