/// The payload of an `ERROR` or `RPC_ERROR` message:
/// `{"code", "message", "details"?, "retryable"?, "retryAfterMs"?}`.
///
/// The initialiser and ``payload`` enforce the retry rules of `docs/wire-protocol.md` (see
/// ``normalized()``); ``sanitized(using:)`` removes secrets and oversized values from `details`
/// before an error leaves the server.
public struct WireError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The error code.
    public var code: ErrorCode
    /// A human-readable message (defaults to the code's description).
    public var message: String
    /// Structured, client-safe context.
    public var details: JSONObject?
    /// Whether the client may retry. `nil` lets the client infer it from ``code``.
    public var retryable: Bool?
    /// How long the client should wait before retrying, in milliseconds.
    public var retryAfterMs: Int?
    /// `retryAfterMs: null` on the wire: retrying can never succeed under the current policy
    /// (for example an operation that costs more than a rate limit's capacity).
    public var retryImpossible: Bool

    /// The longest `retryAfterMs` sent: one day.
    public static let maxRetryAfterMs = 86_400_000

    /// Creates an error and applies the retry rules (``normalized()``).
    public init(
        code: ErrorCode, message: String? = nil, details: JSONObject? = nil,
        retryable: Bool? = nil, retryAfterMs: Int? = nil, retryImpossible: Bool = false
    ) {
        self.code = code
        self.message = message ?? ""
        self.details = details
        self.retryable = retryable
        self.retryAfterMs = retryAfterMs
        self.retryImpossible = retryImpossible
        self = normalized()
    }

    /// Creates an error with a code and a message.
    public init(_ code: ErrorCode, _ message: String? = nil, details: JSONObject? = nil) {
        self.init(code: code, message: message, details: details)
    }

    /// `INVALID_ARGUMENT` for a failed validation, with the issues in `details.issues`.
    public init(validation failure: ValidationFailure, message: String = "Validation failed") {
        self.init(code: .invalidArgument, message: message, details: failure.details())
    }

    /// The error with the retry rules applied:
    /// 1. an empty message becomes the code's description (or the code itself);
    /// 2. `retryAfterMs` is clamped to `0...maxRetryAfterMs`;
    /// 3. codes whose rule forbids `retryAfterMs` (the non-retryable standard codes) lose it;
    /// 4. `retryImpossible` forces `retryable: false` and sends `retryAfterMs: null`;
    /// 5. an unset `retryable` becomes `true` when a `retryAfterMs` is present, otherwise the
    ///    code's default (`INTERNAL` and custom codes: unset → not retryable / left to the client);
    /// 6. a retryable error of a code with a suggested backoff gets it as `retryAfterMs`;
    /// 7. a non-retryable error never carries `retryAfterMs`.
    public func normalized() -> WireError {
        var copy = self
        let info = code.info
        if copy.message.isEmpty { copy.message = info?.description ?? code.rawValue }
        if let value = copy.retryAfterMs { copy.retryAfterMs = min(max(value, 0), Self.maxRetryAfterMs) }
        if info?.retryAfterRule == .forbidden {
            copy.retryAfterMs = nil
            copy.retryImpossible = false
        }
        if copy.retryImpossible {
            copy.retryable = false
            copy.retryAfterMs = nil
            return copy
        }
        if copy.retryable == nil {
            if copy.retryAfterMs != nil {
                copy.retryable = true
            } else if let info {
                copy.retryable = info.retryable == .yes
            }
        }
        if copy.retryable == true, copy.retryAfterMs == nil, info?.retryAfterRule == .optional {
            copy.retryAfterMs = info?.suggestedBackoff.map { Int(clamping: $0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000) }
        }
        if copy.retryable == false { copy.retryAfterMs = nil }
        return copy
    }

    /// Whether a client should retry: the explicit flag, else the code's default (`INTERNAL` and
    /// custom codes: no).
    public var shouldRetry: Bool {
        if retryImpossible { return false }
        if let retryable { return retryable }
        return code.info?.retryable == .yes
    }

    /// The error with `details` cleaned by `sanitizer`; empty details are removed.
    public func sanitized(using sanitizer: ErrorDetailsSanitizer = .default) -> WireError {
        var copy = self
        if let details {
            let clean = sanitizer.sanitize(details)
            copy.details = clean.isEmpty ? nil : clean
        }
        return copy
    }

    /// The wire payload (rules applied): keys in the order `code, message, details, retryable,
    /// retryAfterMs`; absent fields are omitted, `retryAfterMs` is `null` when retry is impossible.
    public var payload: JSONObject {
        let error = normalized()
        var object = JSONObject(minimumCapacity: 5)
        object.appendUnchecked("code", .string(error.code.rawValue))
        object.appendUnchecked("message", .string(error.message))
        if let details = error.details, !details.isEmpty { object.appendUnchecked("details", .object(details)) }
        if let retryable = error.retryable { object.appendUnchecked("retryable", .bool(retryable)) }
        if error.retryImpossible {
            object.appendUnchecked("retryAfterMs", .null)
        } else if let retryAfterMs = error.retryAfterMs {
            object.appendUnchecked("retryAfterMs", .number(Double(retryAfterMs)))
        }
        return object
    }

    /// Reads an error payload as a client receives it. Lenient about extra keys (forward
    /// compatibility); a missing `code` or wrongly typed field is an issue. The retry rules are
    /// not re-applied: a client sees what the server sent.
    public static func parse(payload: JSONValue) -> Result<WireError, ValidationFailure> {
        guard case .object(let object) = payload else {
            return .failure(ValidationFailure(
                path: .payload, message: "expected object, received \(payload.typeName)",
                code: ValidationIssue.Code.invalidType))
        }
        var issues: [ValidationIssue] = []
        func typeIssue(_ key: String, _ expected: String, _ value: JSONValue) {
            issues.append(ValidationIssue(
                path: JSONPath.payload.appending(key: key),
                message: "expected \(expected), received \(value.typeName)", code: ValidationIssue.Code.invalidType))
        }
        var error = WireError(code: .internal)
        error.retryable = nil
        error.retryAfterMs = nil
        switch object["code"] {
        case .string(let code)?: error.code = ErrorCode(code)
        case let value?: typeIssue("code", "string", value)
        case nil:
            issues.append(ValidationIssue(
                path: JSONPath.payload.appending(key: "code"), message: "code is required",
                code: ValidationIssue.Code.required))
        }
        switch object["message"] {
        case .string(let message)?: error.message = message
        case nil: error.message = error.code.info?.description ?? error.code.rawValue
        case let value?: typeIssue("message", "string", value)
        }
        switch object["details"] {
        case .object(let details)?: error.details = details
        case nil, .null?: break
        case let value?: typeIssue("details", "object", value)
        }
        switch object["retryable"] {
        case .bool(let retryable)?: error.retryable = retryable
        case nil: break
        case let value?: typeIssue("retryable", "boolean", value)
        }
        switch object["retryAfterMs"] {
        case .number(let number)? where number.isFinite && number >= 0:
            error.retryAfterMs = number < Double(Int.max) ? Int(number) : Int.max
        case .null?: error.retryImpossible = true
        case nil: break
        case let value?: typeIssue("retryAfterMs", "non-negative number or null", value)
        }
        return issues.isEmpty ? .success(error) : .failure(ValidationFailure(issues: issues))
    }

    /// `CODE: message`, followed by the validation issues of `details.issues` when there are
    /// any (`INVALID_ARGUMENT: Validation failed (payload.text: too short; payload.id: required)`),
    /// so that a logged or printed error says what was wrong.
    public var description: String {
        guard case .array(let issues)? = details?["issues"], !issues.isEmpty else { return "\(code.rawValue): \(message)" }
        let listed = issues.map { issue -> String in
            guard case .object(let object) = issue, let message = object["message"]?.stringValue else {
                return JSON.serialize(issue)
            }
            guard let path = object["path"]?.stringValue, !path.isEmpty else { return message }
            return "\(path): \(message)"
        }
        return "\(code.rawValue): \(message) (\(listed.joined(separator: "; ")))"
    }
}
