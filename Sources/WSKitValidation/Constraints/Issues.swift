import WSKitContract

/// The issue texts shared by every validator in this module, so that the Codable validator and
/// the schema DSL report the same issue, word for word, for the same rule.
enum Issues {
    static func invalidType(_ path: JSONPath, expected: String, received value: JSONValue) -> ValidationIssue {
        ValidationIssue(path: path, message: "expected \(expected), received \(receivedName(value))",
                        code: ValidationIssue.Code.invalidType)
    }

    /// `integer` for numbers with a fraction, otherwise the JSON type name.
    static func receivedName(_ value: JSONValue) -> String {
        value.typeName
    }

    static func required(_ path: JSONPath) -> ValidationIssue {
        ValidationIssue(path: path, message: "required", code: ValidationIssue.Code.required)
    }

    static func unrecognizedKey(_ path: JSONPath, _ key: String) -> ValidationIssue {
        ValidationIssue(path: path.appending(key: key), message: "unrecognized key \(quote(key))",
                        code: ValidationIssue.Code.unrecognizedKey)
    }

    static func notInteger(_ path: JSONPath) -> ValidationIssue {
        ValidationIssue(path: path, message: "expected integer, received number", code: ValidationIssue.Code.notInteger)
    }

    static func tooSmall(_ path: JSONPath, _ what: String, _ minimum: String) -> ValidationIssue {
        ValidationIssue(path: path, message: "\(what) at least \(minimum)", code: ValidationIssue.Code.tooSmall)
    }

    static func tooBig(_ path: JSONPath, _ what: String, _ maximum: String) -> ValidationIssue {
        ValidationIssue(path: path, message: "\(what) at most \(maximum)", code: ValidationIssue.Code.tooBig)
    }

    static func pattern(_ path: JSONPath, _ source: String) -> ValidationIssue {
        ValidationIssue(path: path, message: "must match pattern /\(source)/", code: ValidationIssue.Code.invalidString)
    }

    static func notOneOf(_ path: JSONPath, _ options: [JSONValue], received value: JSONValue) -> ValidationIssue {
        let list = options.prefix(20).map { JSON.serialize($0) }.joined(separator: ", ")
        let more = options.count > 20 ? ", …" : ""
        let shown = JSON.serialize(value)
        let received = shown.utf8.count > 64 ? value.typeName : shown
        return ValidationIssue(path: path, message: "expected one of \(list)\(more); received \(received)",
                               code: ValidationIssue.Code.invalidEnumValue)
    }

    static func literal(_ path: JSONPath, _ expected: JSONValue) -> ValidationIssue {
        ValidationIssue(path: path, message: "expected \(JSON.serialize(expected))", code: ValidationIssue.Code.invalidLiteral)
    }

    static func custom(_ path: JSONPath, _ message: String) -> ValidationIssue {
        ValidationIssue(path: path, message: message, code: ValidationIssue.Code.custom)
    }

    static func quote(_ key: String) -> String { JSON.serialize(.string(String(key.prefix(64)))) }

    /// A number as JSON prints it: `500`, `0.5`.
    static func number(_ value: Double) -> String { JSON.serialize(.number(value)) }
}
