import WSKitContract

/// Validates JSON into a `Codable` type with a strict decoder written for validation.
///
/// - Strict: object keys the type does not read are `unrecognized_key` issues, at the root of
///   the payload and in nested objects.
/// - Complete: every issue is reported in one pass, each with its path
///   (`payload.items[3].name`): wrong types, missing keys, integers with fractions or out of range,
///   invalid enum values (with the allowed values for `CaseIterable` enums).
/// - Constraints from property wrappers (``Length``, ``InRange``, ``Pattern``, ``OneOf``,
///   ``Count``) are checked on ``Validatable`` types.
///
/// `Optional` properties accept a missing key or `null`. Encoding goes through
/// ``JSONValueEncoder``.
public struct CodableValidator<Output: Codable & Sendable>: Validator {
    /// Creates the validator.
    public init() {}

    /// Decodes and validates `value`.
    ///
    /// Inlinable (with ``Message/decodePayload(_:)``) so that the `Result` is built in code
    /// specialised for `Output`: unspecialised, its metadata was looked up on every call.
    @inlinable
    public func validate(_ value: JSONValue, at path: JSONPath) -> Result<Output, ValidationFailure> {
        do throws(ValidationFailure) {
            return .success(try Self.decode(value, at: path))
        } catch {
            return .failure(error)
        }
    }

    /// Decodes `value` into `Output` or throws every issue found.
    @usableFromInline
    static func decode(_ value: JSONValue, at path: JSONPath) throws(ValidationFailure) -> Output {
        let facts = TypeFactsCache.facts(for: Output.self)
        if facts.fast != nil, let primitive = Output.self as? any PrimitiveDecodable.Type {
            return try validatePrimitive(primitive, value, at: path)
        }
        let state = DecodingState(basePath: path)
        let root = PayloadDecoder(value: value, parent: nil, component: nil, state: state)
        root.constraints = facts.constraints
        // No `Output?` or `Result` here: in unspecialised code each costs a metadata lookup.
        do {
            let decoded = try Output(from: root)
            root.reportUnknownKeys()
            if state.issues.isEmpty { return decoded }
        } catch is UnrecoverableDecoding {
            // Issues are recorded already.
        } catch {
            root.record(PayloadDecoder.issue(for: error, decoding: Output.self, value: value, at: path))
        }
        if !state.issues.isEmpty { throw ValidationFailure(issues: state.issues) }
        throw ValidationFailure(path: path, message: "invalid value", code: ValidationIssue.Code.custom)
    }

    static func validatePrimitive<P: PrimitiveDecodable>(
        _ type: P.Type, _ value: JSONValue, at path: JSONPath
    ) throws(ValidationFailure) -> Output {
        if let decoded = P.convert(value) { return decoded as! Output }
        throw ValidationFailure(issues: [P.problem(with: value).issue(at: path, received: value)])
    }

    /// Encodes `value` with ``JSONValueEncoder``.
    public func encode(_ value: Output) throws -> JSONValue {
        try JSONValueEncoder().encode(value)
    }

    /// Writes `value`'s JSON straight into `bytes` with ``JSONBytesEncoder`` (the same text as
    /// serialising ``encode(_:)``'s result).
    public func encode(_ value: Output, into bytes: inout [UInt8]) throws {
        try JSONBytesEncoder().encode(value, into: &bytes)
    }
}
