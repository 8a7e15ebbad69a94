import Testing
import WSKitContract

/// The issues of a failed validation (empty when it succeeded).
func issues<V: Validator>(_ validator: V, _ json: String, at path: JSONPath = .payload) throws -> [ValidationIssue] {
    switch validator.validate(try JSON.parse(json), at: path) {
    case .success: return []
    case .failure(let failure): return failure.issues
    }
}

/// `path: code` lines, for compact comparisons.
func summary(_ issues: [ValidationIssue]) -> [String] {
    issues.map { "\($0.path): \($0.code)" }
}
