import WSKitContract

extension Schema {
    /// Validates `value`, appending issues. Returns the output when it differs from the input
    /// (non-strict objects drop unknown keys), `nil` when the input is the output.
    ///
    /// `stack` holds the path below `base`; it is only turned into a ``JSONPath`` when an issue
    /// is recorded, so valid input allocates no paths.
    func evaluate(
        _ value: JSONValue, base: JSONPath, stack: inout [JSONPath.Component], issues: inout [ValidationIssue]
    ) -> JSONValue? {
        @inline(__always) func here() -> JSONPath {
            var path = base
            path.components.append(contentsOf: stack)
            return path
        }
        let issuesBefore = issues.count
        var output: JSONValue? = nil
        switch node {
        case .any:
            break
        case .null:
            if !value.isNull { issues.append(Issues.invalidType(here(), expected: "null", received: value)) }
        case .string:
            guard case .string = value else {
                issues.append(Issues.invalidType(here(), expected: "string", received: value))
                return nil
            }
        case .boolean:
            guard case .bool = value else {
                issues.append(Issues.invalidType(here(), expected: "boolean", received: value))
                return nil
            }
        case .number:
            guard case .number = value else {
                issues.append(Issues.invalidType(here(), expected: "number", received: value))
                return nil
            }
        case .integer:
            guard case .number(let number) = value else {
                issues.append(Issues.invalidType(here(), expected: "integer", received: value))
                return nil
            }
            guard number.rounded(.towardZero) == number else {
                issues.append(Issues.notInteger(here()))
                return nil
            }
            if Int(exactly: number) == nil {
                issues.append(number < 0 ? Issues.tooSmall(here(), "must be", "\(Int.min)")
                                         : Issues.tooBig(here(), "must be", "\(Int.max)"))
                return nil
            }
        case .literal(let expected):
            if value != expected { issues.append(Issues.literal(here(), expected)) }
        case .oneOf(let options):
            if !options.contains(value) { issues.append(Issues.notOneOf(here(), options, received: value)) }
        case .optional(let wrapped):
            if value.isNull { return nil }
            return wrapped.evaluate(value, base: base, stack: &stack, issues: &issues)
        case .array(let element):
            guard case .array(let array) = value else {
                issues.append(Issues.invalidType(here(), expected: "array", received: value))
                return nil
            }
            var changed: [JSONValue]? = nil
            for (index, item) in array.enumerated() {
                stack.append(.index(index))
                let result = element.evaluate(item, base: base, stack: &stack, issues: &issues)
                stack.removeLast()
                if let result {
                    if changed == nil { changed = array }
                    changed![index] = result
                }
            }
            output = changed.map(JSONValue.array)
        case .record(let values):
            guard case .object(let object) = value else {
                issues.append(Issues.invalidType(here(), expected: "object", received: value))
                return nil
            }
            var changed: JSONObject? = nil
            for (key, item) in object {
                stack.append(.key(key))
                let result = values.evaluate(item, base: base, stack: &stack, issues: &issues)
                stack.removeLast()
                if let result {
                    if changed == nil { changed = object }
                    changed![key] = result
                }
            }
            output = changed.map(JSONValue.object)
        case .object(let fields, let declared, let strict):
            guard case .object(let object) = value else {
                issues.append(Issues.invalidType(here(), expected: "object", received: value))
                return nil
            }
            var changed: JSONObject? = nil
            for (key, field) in fields {
                stack.append(.key(key))
                if let item = object[key] {
                    if let result = field.evaluate(item, base: base, stack: &stack, issues: &issues) {
                        if changed == nil { changed = object }
                        changed![key] = result
                    }
                } else if case .optional = field.node {
                    // Absent optional: fine.
                } else {
                    issues.append(Issues.required(here()))
                }
                stack.removeLast()
            }
            // Unknown keys, in wire order.
            var unknown: [String] = []
            for (key, _) in object {
                let isDeclared = declared?.contains(key) ?? fields.contains { $0.0 == key }
                if !isDeclared { unknown.append(key) }
            }
            if !unknown.isEmpty {
                if strict {
                    let path = here()
                    for key in unknown { issues.append(Issues.unrecognizedKey(path, key)) }
                } else {
                    if changed == nil { changed = object }
                    for key in unknown { changed!.removeValue(forKey: key) }
                }
            }
            output = changed.map(JSONValue.object)
        }
        if !constraints.isEmpty {
            for constraint in constraints { constraint.check(value, at: here(), into: &issues) }
        }
        if !refinements.isEmpty, issues.count == issuesBefore {
            for refinement in refinements where !refinement.predicate(value) {
                issues.append(Issues.custom(here(), refinement.message))
            }
        }
        return output
    }
}
