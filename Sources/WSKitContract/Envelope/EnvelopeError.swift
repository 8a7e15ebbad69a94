/// Why an inbound frame is not a valid envelope, plus what could still be read from it (so the
/// router can answer `RPC_ERROR` when a correlation id was readable, `ERROR` otherwise).
public struct EnvelopeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of violation.
    public enum Kind: Sendable, Hashable {
        /// The frame is not JSON, or exceeds the parser's limits.
        case malformedJSON(JSONParseError)
        /// The root is not an object.
        case notAnObject
        /// The root has no `type`.
        case missingType
        /// `type` is not a string.
        case typeNotString
        /// `type` is the empty string.
        case emptyType
        /// `meta` is present but not an object.
        case metaNotObject
        /// A standard meta key has the wrong type or range (`correlationId` not a string…).
        case invalidMeta(key: String, expected: String)
        /// A root key other than `type`, `meta` and `payload`.
        case unknownRootKey(String)
    }

    /// What is wrong.
    public var kind: Kind
    /// The `type`, when it could be read.
    public var type: String?
    /// The `meta.correlationId`, when it could be read.
    public var correlationId: String?

    /// Creates an error.
    public init(_ kind: Kind, type: String? = nil, correlationId: String? = nil) {
        self.kind = kind
        self.type = type
        self.correlationId = correlationId
    }

    /// A client-safe explanation.
    public var description: String {
        switch kind {
        case .malformedJSON(let error): "Malformed JSON: \(error)"
        case .notAnObject: "Envelope must be a JSON object"
        case .missingType: "Envelope is missing \"type\""
        case .typeNotString: "Envelope \"type\" must be a string"
        case .emptyType: "Envelope \"type\" must not be empty"
        case .metaNotObject: "Envelope \"meta\" must be an object"
        case .invalidMeta(let key, let expected): "meta.\(key) must be \(expected)"
        case .unknownRootKey(let key): "Unknown envelope key \"\(key.prefix(64))\""
        }
    }

    /// The `INVALID_ARGUMENT` error to send back.
    public var wireError: WireError { WireError(code: .invalidArgument, message: description) }
}
