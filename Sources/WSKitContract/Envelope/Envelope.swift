/// One WSKit message on the wire: `{"type": …, "meta"?: {…}, "payload"?: …}`.
///
/// ``parse(_:limits:)`` applies the envelope rules of `docs/wire-protocol.md`: object root, string
/// `type`, object `meta`, no other root keys, well-typed standard meta keys, and server-only meta
/// keys (`clientId`, `receivedAt`) stripped. Per-message rules (extra meta keys, payload schema)
/// are checked later by the router, once the type is known.
public struct Envelope: Sendable, Hashable {
    /// The message type.
    public var type: String
    /// The meta object (empty when absent).
    public var meta: JSONObject
    /// The payload, or `nil` when the key is absent.
    public var payload: JSONValue?

    /// Creates an envelope.
    public init(type: String, meta: JSONObject = [:], payload: JSONValue? = nil) {
        self.type = type
        self.meta = meta
        self.payload = payload
    }

    // MARK: Reading

    /// Parses an inbound frame (text or binary: both carry UTF-8 JSON).
    public static func parse(
        _ bytes: UnsafeRawBufferPointer, limits: JSONLimits = .default
    ) throws(EnvelopeError) -> Envelope {
        // Fast path: read the root's `type`, `meta` and `payload` without building the root
        // object. Anything else (not an object, unknown or repeated root keys) is parsed again
        // by the general path, which decides the result and the error.
        let typed = bytes.assumingMemoryBound(to: UInt8.self)
        var parser = JSONParser(bytes: typed, limits: limits)
        let members: EnvelopeMembers?
        do {
            members = try parser.parseEnvelopeMembers()
        } catch {
            throw EnvelopeError(.malformedJSON(error))
        }
        if let members {
            return try Envelope(type: members.type, meta: members.meta, payload: members.payload)
        }
        let root: JSONValue
        do {
            root = try JSON.parse(bytes, limits: limits)
        } catch {
            throw EnvelopeError(.malformedJSON(error))
        }
        return try Envelope(validating: root)
    }

    /// Parses an inbound frame held in a byte array.
    public static func parse(_ bytes: [UInt8], limits: JSONLimits = .default) throws(EnvelopeError) -> Envelope {
        let result: Result<Envelope, EnvelopeError> = bytes.withUnsafeBytes { raw in
            do throws(EnvelopeError) { return .success(try parse(raw, limits: limits)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Parses an inbound frame held in a string.
    public static func parse(_ text: String, limits: JSONLimits = .default) throws(EnvelopeError) -> Envelope {
        try parse(Array(text.utf8), limits: limits)
    }

    /// Applies the envelope rules to an already parsed value.
    public init(validating root: JSONValue) throws(EnvelopeError) {
        guard case .object(let object) = root else { throw EnvelopeError(.notAnObject) }
        let rawType = object["type"]
        let rawMeta = object["meta"]
        for (key, _) in object {
            switch key {
            case "type", "meta", "payload": continue
            default: throw Self.failure(.unknownRootKey(key), type: rawType, meta: rawMeta)
            }
        }
        try self.init(type: rawType, meta: rawMeta, payload: object["payload"])
    }

    /// An envelope error carrying what could be salvaged (`type`, `meta.correlationId`), so that
    /// every error can still be correlated.
    static func failure(_ kind: EnvelopeError.Kind, type rawType: JSONValue?, meta rawMeta: JSONValue?) -> EnvelopeError {
        var type: String? = nil
        var correlationId: String? = nil
        if case .string(let value)? = rawType { type = value }
        if case .object(let meta)? = rawMeta, case .string(let id)? = meta[MetaKey.correlationId],
           !id.isEmpty, id.utf8.count <= MetaKey.maxCorrelationIdBytes {
            correlationId = id
        }
        return EnvelopeError(kind, type: type, correlationId: correlationId)
    }

    /// Applies the envelope rules to the root's members (`nil`: the key is absent), once no
    /// other root key is present.
    init(type rawType: JSONValue?, meta rawMeta: JSONValue?, payload: JSONValue?) throws(EnvelopeError) {
        func fail(_ kind: EnvelopeError.Kind) -> EnvelopeError {
            Self.failure(kind, type: rawType, meta: rawMeta)
        }
        guard let rawType else { throw fail(.missingType) }
        guard case .string(let type) = rawType else { throw fail(.typeNotString) }
        guard !type.isEmpty else { throw fail(.emptyType) }
        var meta = JSONObject()
        switch rawMeta {
        case .object(let value)?: meta = value
        case nil: break
        case .some: throw fail(.metaNotObject)
        }
        if meta.isEmpty {
            self.init(type: type, meta: meta, payload: payload)
            return
        }
        // Standard meta keys: one pass to find them, then the checks in a fixed order.
        var correlationId: JSONValue? = nil
        var timeoutMs: JSONValue? = nil
        var timestamp: JSONValue? = nil
        var serverOnly = false
        for (key, value) in meta {
            switch key {
            case MetaKey.correlationId: correlationId = value
            case MetaKey.timeoutMs: timeoutMs = value
            case MetaKey.timestamp: timestamp = value
            case MetaKey.clientId, MetaKey.receivedAt: serverOnly = true
            default: break
            }
        }
        if let value = correlationId {
            guard case .string(let id) = value, !id.isEmpty, id.utf8.count <= MetaKey.maxCorrelationIdBytes else {
                throw fail(.invalidMeta(
                    key: MetaKey.correlationId,
                    expected: "a non-empty string of at most \(MetaKey.maxCorrelationIdBytes) bytes"))
            }
        }
        if let value = timeoutMs {
            guard case .number(let number) = value, number >= 0, number <= 9_007_199_254_740_991,
                  number == number.rounded() else {
                throw fail(.invalidMeta(key: MetaKey.timeoutMs, expected: "a non-negative integer"))
            }
        }
        if let value = timestamp {
            guard case .number = value else {
                throw fail(.invalidMeta(key: MetaKey.timestamp, expected: "a number"))
            }
        }
        // Server-only keys are never trusted from a client.
        if serverOnly {
            meta.removeValue(forKey: MetaKey.clientId)
            meta.removeValue(forKey: MetaKey.receivedAt)
        }
        self.init(type: type, meta: meta, payload: payload)
    }

    /// `meta.correlationId`, if present.
    public var correlationId: String? {
        get { meta[MetaKey.correlationId]?.stringValue }
        set { meta[MetaKey.correlationId] = newValue.map(JSONValue.string) }
    }

    /// `meta.timeoutMs`, if present and an integer.
    public var timeoutMs: Int? { meta[MetaKey.timeoutMs]?.intValue }

    /// `meta.timestamp`, if present.
    public var timestamp: Double? { meta[MetaKey.timestamp]?.doubleValue }

    /// Whether the type is reserved for the protocol (see ``ReservedType/isReserved(_:)``).
    public var isReserved: Bool { ReservedType.isReserved(type) }

    /// The meta keys that are neither standard (``MetaKey/clientAllowed``) nor in `extra`.
    public func unknownMetaKeys(allowing extra: Set<String> = []) -> [String] {
        meta.keys.filter { !Self.isAllowedMetaKey($0, extra: extra) }
    }

    /// Whether a client may send meta `key`: a standard key, or one the message declares.
    private static func isAllowedMetaKey(_ key: String, extra: Set<String>) -> Bool {
        MetaKey.clientAllowed.contains(key) || (!extra.isEmpty && extra.contains(key))
    }

    /// Strict meta check for a message that declares `extra` meta keys: every other
    /// non-standard key is an `unrecognized_key` issue at `meta.<key>`. Allocates nothing when
    /// every key is allowed (the per-message case).
    public func validateMeta(allowing extra: Set<String> = []) -> ValidationFailure? {
        guard meta.contains(where: { !Self.isAllowedMetaKey($0.key, extra: extra) }) else { return nil }
        let unknown = unknownMetaKeys(allowing: extra)
        return ValidationFailure(issues: unknown.map {
            ValidationIssue(path: JSONPath.meta.appending(key: $0), message: "unrecognized key \"\($0)\"",
                            code: ValidationIssue.Code.unrecognizedKey)
        })
    }

    // MARK: Writing

    /// Appends the compact JSON of the envelope: `type`, then `meta` (omitted when empty), then
    /// `payload` (omitted when `nil`).
    public func serialize(into bytes: inout [UInt8]) {
        Self.serialize(type: type, meta: meta, payload: payload, into: &bytes)
    }

    /// The compact JSON bytes of the envelope.
    public func serialized() -> [UInt8] {
        var bytes: [UInt8] = []
        serialize(into: &bytes)
        return bytes
    }

    /// Appends an envelope's JSON without building an ``Envelope`` first.
    public static func serialize(type: String, meta: JSONObject, payload: JSONValue?, into bytes: inout [UInt8]) {
        JSONSerializer.append("{\"type\":", to: &bytes)
        JSONSerializer.writeString(type, into: &bytes)
        if !meta.isEmpty {
            JSONSerializer.append(",\"meta\":", to: &bytes)
            JSONSerializer.writeObject(meta, into: &bytes)
        }
        if let payload {
            JSONSerializer.append(",\"payload\":", to: &bytes)
            JSONSerializer.write(payload, into: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    // MARK: Outbound builders

    /// Whether an `extraMeta` key is written on an outbound envelope: the server's own
    /// `correlationId` and `timestamp` (and a stray `type`) can never be overridden.
    private static func isOutboundExtraMetaKey(_ key: String) -> Bool {
        key != MetaKey.correlationId && key != MetaKey.timestamp && key != "type"
    }

    /// A server → client message: `meta` gets `timestamp` (server clock, Unix ms) and, when given,
    /// `correlationId`; `extraMeta` goes first and can never override those two.
    public static func outbound(
        type: String, payload: JSONValue?, correlationId: String? = nil, timestamp: Int64,
        extraMeta: JSONObject = [:]
    ) -> Envelope {
        var meta = JSONObject(minimumCapacity: extraMeta.count + 2)
        for (key, value) in extraMeta
        where isOutboundExtraMetaKey(key) {
            meta.appendUnchecked(key, value)
        }
        if let correlationId { meta.appendUnchecked(MetaKey.correlationId, .string(correlationId)) }
        meta.appendUnchecked(MetaKey.timestamp, .number(Double(timestamp)))
        return Envelope(type: type, meta: meta, payload: payload)
    }

    /// Appends the start of an outbound envelope — `{"type":…,"meta":{…}` with the same meta as
    /// ``outbound(type:payload:correlationId:timestamp:extraMeta:)`` — so that the caller can write
    /// the payload member straight after it (``Message/appendPayloadMember(_:validation:to:)``)
    /// and close the object with `}`. The result is byte for byte what serialising the
    /// ``outbound(type:payload:correlationId:timestamp:extraMeta:)`` envelope gives, without
    /// building its meta object.
    public static func writeOutboundHead(
        type: String, correlationId: String?, timestamp: Int64, extraMeta: JSONObject = [:],
        into bytes: inout [UInt8]
    ) {
        JSONSerializer.append("{\"type\":", to: &bytes)
        JSONSerializer.writeString(type, into: &bytes)
        JSONSerializer.append(",\"meta\":{", to: &bytes)
        for (key, value) in extraMeta
        where isOutboundExtraMetaKey(key) {
            JSONSerializer.writeString(key, into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            JSONSerializer.write(value, into: &bytes)
            bytes.append(UInt8(ascii: ","))
        }
        if let correlationId {
            JSONSerializer.append("\"correlationId\":", to: &bytes)
            JSONSerializer.writeString(correlationId, into: &bytes)
            bytes.append(UInt8(ascii: ","))
        }
        JSONSerializer.append("\"timestamp\":", to: &bytes)
        JSONSerializer.writeNumber(Double(timestamp), into: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }

    /// An error message: `RPC_ERROR` when `correlationId` is given, `ERROR` otherwise. The error is
    /// normalised and its details sanitised.
    public static func error(
        _ error: WireError, correlationId: String?, timestamp: Int64,
        sanitizer: ErrorDetailsSanitizer = .default
    ) -> Envelope {
        outbound(
            type: correlationId == nil ? ReservedType.error : ReservedType.rpcError,
            payload: .object(error.sanitized(using: sanitizer).payload),
            correlationId: correlationId, timestamp: timestamp)
    }

    /// An RPC progress update (`$ws:rpc-progress`) carrying the response's payload shape.
    public static func progress(payload: JSONValue?, correlationId: String, timestamp: Int64) -> Envelope {
        outbound(type: ReservedType.rpcProgress, payload: payload, correlationId: correlationId, timestamp: timestamp)
    }

    /// The reply to `__heartbeat`: `meta.timestamp` and, for WS-Kit clients, `meta.ts`.
    public static func heartbeatAck(timestamp: Int64) -> Envelope {
        Envelope(type: ReservedType.heartbeatAck,
                 meta: ["timestamp": .number(Double(timestamp)), "ts": .number(Double(timestamp))])
    }
}
