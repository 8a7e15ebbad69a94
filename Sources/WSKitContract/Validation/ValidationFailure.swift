/// A rejected value: every issue found, each with its path.
public struct ValidationFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The issues, in the order they were found (at least one).
    public var issues: [ValidationIssue]

    /// Creates a failure from issues.
    public init(issues: [ValidationIssue]) { self.issues = issues }

    /// Creates a failure with one issue.
    public init(path: JSONPath, message: String, code: String) {
        issues = [ValidationIssue(path: path, message: message, code: code)]
    }

    /// The issues joined with `; `.
    public var description: String { issues.map(\.description).joined(separator: "; ") }

    /// The details of the `INVALID_ARGUMENT` error sent to a client:
    /// `{"issues": [{"path", "message", "code"}, …]}`, at most `limit` issues.
    public func details(limit: Int = 20) -> JSONObject {
        ["issues": .array(issues.prefix(limit).map(\.jsonValue))]
    }
}
