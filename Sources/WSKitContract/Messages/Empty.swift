/// The payload of messages that carry none: such messages have no `payload` key on the wire.
public struct Empty: Codable, Sendable, Hashable {
    /// The empty payload.
    public init() {}
}

/// The validator of ``Empty`` payloads: accepts only an empty object (what an absent `payload`
/// is validated as) and encodes to an empty object.
public struct EmptyValidator: Validator {
    /// Creates the validator.
    public init() {}

    /// Accepts `{}`; any key is reported as unrecognised, any other value as the wrong type.
    public func validate(_ value: JSONValue, at path: JSONPath) -> Result<Empty, ValidationFailure> {
        switch value {
        case .object(let object) where object.isEmpty:
            return .success(Empty())
        case .object(let object):
            return .failure(ValidationFailure(issues: object.keys.map {
                ValidationIssue(path: path.appending(key: $0), message: "unrecognized key \"\($0)\"",
                                code: ValidationIssue.Code.unrecognizedKey)
            }))
        default:
            return .failure(ValidationFailure(
                path: path, message: "expected object, received \(value.typeName)",
                code: ValidationIssue.Code.invalidType))
        }
    }

    /// `{}`.
    public func encode(_ value: Empty) throws -> JSONValue { .object([:]) }
}
