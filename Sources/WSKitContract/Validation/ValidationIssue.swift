/// One reason a value was rejected: where, a human-readable message and a stable code.
///
/// Codes are stable strings clients may switch on (see ``ValidationIssue/Code``); messages are
/// English prose and may change.
public struct ValidationIssue: Sendable, Hashable, CustomStringConvertible {
    /// Where the offending value is (the missing key's path for a missing value).
    public var path: JSONPath
    /// What is wrong, for people.
    public var message: String
    /// What is wrong, for programs: one of ``ValidationIssue/Code`` or a custom code.
    public var code: String

    /// Creates an issue.
    public init(path: JSONPath, message: String, code: String) {
        self.path = path
        self.message = message
        self.code = code
    }

    /// `path: message`, or just the message at the root.
    public var description: String {
        path.isRoot ? message : "\(path): \(message)"
    }

    /// The issue as JSON: `{"path": "...", "message": "...", "code": "..."}`, the form sent to
    /// clients in `details.issues` of an `INVALID_ARGUMENT` error.
    public var jsonValue: JSONValue {
        .object(["path": .string(path.description), "message": .string(message), "code": .string(code)])
    }

    /// The issue codes WSKit's validators produce.
    public enum Code {
        /// The value has the wrong JSON type (`expected string, received number`).
        public static let invalidType = "invalid_type"
        /// A required key is absent.
        public static let required = "required"
        /// A key the schema does not declare (strict objects).
        public static let unrecognizedKey = "unrecognized_key"
        /// A number, or string, array or object size, is below its minimum.
        public static let tooSmall = "too_small"
        /// A number, or string, array or object size, is above its maximum.
        public static let tooBig = "too_big"
        /// A number that must be an integer has a fraction.
        public static let notInteger = "not_integer"
        /// A string does not match its pattern or format.
        public static let invalidString = "invalid_string"
        /// A value is not one of the allowed values.
        public static let invalidEnumValue = "invalid_enum_value"
        /// A literal does not have its required value.
        public static let invalidLiteral = "invalid_literal"
        /// A custom check failed.
        public static let custom = "custom"
    }
}
