/// A message type of the wire contract: its `type` string and how its payload is validated.
///
/// ```swift
/// struct SendText: Message {
///     struct Payload: Codable, Sendable { @Length(1...2000) var text: String }
///     static let type = "SEND_TEXT"
/// }
/// ```
/// With `import WSKitValidation` (or `import WSKit`), a `Codable` payload gets its
/// ``payloadValidator`` for free; messages whose payload is ``Empty`` carry no `payload` key at
/// all.
public protocol Message: Sendable {
    /// The decoded payload.
    associatedtype Payload: Sendable
    /// The validator that turns the wire payload into ``Payload`` and back.
    associatedtype PayloadValidator: Validator<Payload>

    /// The `type` string on the wire. Must not be reserved (see ``ReservedType``).
    static var type: String { get }
    /// The payload's validator.
    static var payloadValidator: PayloadValidator { get }
    /// Meta keys this message may carry besides the standard ones (``MetaKey/clientAllowed``).
    /// Unknown meta keys are rejected. Defaults to none.
    static var extraMetaKeys: Set<String> { get }
}

extension Message {
    /// No extra meta keys.
    public static var extraMetaKeys: Set<String> { [] }
}

extension Message where Payload == Empty {
    /// Messages without payload validate that no `payload` is sent.
    public static var payloadValidator: EmptyValidator { EmptyValidator() }
}

extension Message {
    /// Whether the message carries a `payload` key (every payload type except ``Empty``).
    @inlinable public static var hasPayload: Bool { Payload.self != Empty.self }

    /// Validates the `payload` of an inbound envelope (`nil` when the key is absent).
    ///
    /// An absent `payload` is read as `{}`: a payload type that accepts an empty object (no
    /// fields, or only optional ones) accepts a message without `payload` — what WS-Kit clients
    /// send for argument-less requests — and any other fails with `required`. A message whose
    /// payload is ``Empty`` accepts an absent `payload` or `{}`; anything else in it fails
    /// (`unrecognized_key` for each key). Issue paths start at `payload`. Inlinable so that the
    /// validator's call is specialised for the message.
    @inlinable
    public static func decodePayload(_ payload: JSONValue?) -> Result<Payload, ValidationFailure> {
        guard let payload else {
            let result = payloadValidator.validate(.object([:]), at: .payload)
            if hasPayload, case .failure = result {
                return .failure(ValidationFailure(
                    path: .payload, message: "payload is required", code: ValidationIssue.Code.required))
            }
            return result
        }
        return payloadValidator.validate(payload, at: .payload)
    }

    /// Appends the `,"payload":…` member of an outbound envelope (nothing for ``Empty``
    /// payloads), for an envelope written with ``Envelope/writeOutboundHead(type:correlationId:timestamp:extraMeta:into:)``.
    ///
    /// The bytes are those of serialising ``encodePayload(_:validation:)``'s result. With
    /// `validation` disabled the payload is written straight into `bytes`
    /// (``Validator/encode(_:into:)``), without an intermediate ``JSONValue``. On a throw, `bytes`
    /// may hold a partial member: the caller discards it.
    @inlinable
    public static func appendPayloadMember(
        _ payload: Payload, validation: OutboundValidation = .default, to bytes: inout [UInt8]
    ) throws {
        guard hasPayload else { return }
        JSON.writeRaw(",\"payload\":", into: &bytes)
        if validation.isEnabled {
            JSON.serialize(try payloadValidator.encodeValidated(payload, at: .payload), into: &bytes)
        } else {
            try payloadValidator.encode(payload, into: &bytes)
        }
    }

    /// Encodes a payload for sending: `nil` for ``Empty`` payloads (no `payload` key).
    ///
    /// With `validation` enabled, the encoded JSON is validated again and a
    /// ``ValidationFailure`` is thrown when the value breaks the message's own constraints.
    public static func encodePayload(
        _ payload: Payload, validation: OutboundValidation = .default
    ) throws -> JSONValue? {
        guard hasPayload else { return nil }
        if validation.isEnabled { return try payloadValidator.encodeValidated(payload, at: .payload) }
        return try payloadValidator.encode(payload)
    }
}
