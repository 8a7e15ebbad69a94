import WSKitContract

/// A rule beyond the JSON type: a length, a numeric range, a pattern, a set of allowed values or
/// an element count.
///
/// Constraints are checked against the wire value (``JSONValue``), so the Codable validator's
/// property wrappers and the schema DSL share one implementation and report identical issues.
/// A constraint ignores values of a type it does not apply to (a length on a number); the type
/// check reports those.
public struct Constraint: Sendable, Hashable, CustomStringConvertible {
    enum Kind: Sendable, Hashable {
        case length(Bounds<Int>)
        case range(Bounds<Double>)
        case pattern(CompiledPattern)
        case oneOf([JSONValue])
        case count(Bounds<Int>)
    }

    let kind: Kind

    /// String length, in characters (extended grapheme clusters, what `String.count` counts).
    public static func length(_ bounds: some BoundsExpression<Int>) -> Constraint {
        Constraint(kind: .length(bounds.bounds))
    }

    /// Number range, inclusive.
    public static func range(_ bounds: some BoundsExpression<Double>) -> Constraint {
        Constraint(kind: .range(bounds.bounds))
    }

    /// Number range, inclusive, with integer bounds.
    public static func range(_ bounds: some BoundsExpression<Int>) -> Constraint {
        let integer = bounds.bounds
        return Constraint(kind: .range(Bounds(min: integer.min.map(Double.init), max: integer.max.map(Double.init))))
    }

    /// A regular expression (Swift `Regex` syntax) the string must contain a match of; anchor it
    /// with `^…$` to match the whole string. Traps if the pattern does not compile, like
    /// `try! Regex(…)`: a bad pattern is a programming error.
    public static func pattern(_ source: String) -> Constraint {
        Constraint(kind: .pattern(CompiledPattern.compiled(source)))
    }

    /// The value must equal one of `values`.
    public static func oneOf(_ values: [JSONValue]) -> Constraint {
        Constraint(kind: .oneOf(values))
    }

    /// The string must be one of `values`.
    public static func oneOf(_ values: [String]) -> Constraint {
        Constraint(kind: .oneOf(values.map(JSONValue.string)))
    }

    /// Array element count.
    public static func count(_ bounds: some BoundsExpression<Int>) -> Constraint {
        Constraint(kind: .count(bounds.bounds))
    }

    /// Appends the issues of `value` at `path` to `issues`.
    func check(_ value: JSONValue, at path: @autoclosure () -> JSONPath, into issues: inout [ValidationIssue]) {
        switch kind {
        case .length(let bounds):
            guard case .string(let string) = value else { return }
            let length = Self.length(of: string, upTo: bounds.max)
            if let min = bounds.min, length < min {
                issues.append(Issues.tooSmall(path(), "must contain", "\(min) character\(min == 1 ? "" : "s")"))
            } else if let max = bounds.max, length > max {
                issues.append(Issues.tooBig(path(), "must contain", "\(max) character\(max == 1 ? "" : "s")"))
            }
        case .range(let bounds):
            guard case .number(let number) = value else { return }
            if let min = bounds.min, number < min {
                issues.append(Issues.tooSmall(path(), "must be", Issues.number(min)))
            } else if let max = bounds.max, number > max {
                issues.append(Issues.tooBig(path(), "must be", Issues.number(max)))
            }
        case .pattern(let pattern):
            guard case .string(let string) = value else { return }
            if !pattern.matches(string) { issues.append(Issues.pattern(path(), pattern.source)) }
        case .oneOf(let options):
            if !options.contains(value) { issues.append(Issues.notOneOf(path(), options, received: value)) }
        case .count(let bounds):
            guard case .array(let array) = value else { return }
            if let min = bounds.min, array.count < min {
                issues.append(Issues.tooSmall(path(), "must contain", "\(min) element\(min == 1 ? "" : "s")"))
            } else if let max = bounds.max, array.count > max {
                issues.append(Issues.tooBig(path(), "must contain", "\(max) element\(max == 1 ? "" : "s")"))
            }
        }
    }

    /// Character count, stopping early once it exceeds `limit` (hostile multi-megabyte strings
    /// against a small maximum cost only `limit` steps). ASCII strings are counted by bytes.
    static func length(of string: String, upTo limit: Int?) -> Int {
        let utf8 = string.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: one byte per character, except "\r\n", which is one grapheme.
            var count = utf8.count
            var previous: UInt8 = 0
            for byte in utf8 {
                if previous == 0x0D && byte == 0x0A { count -= 1 }
                previous = byte
            }
            return count
        }
        guard let limit else { return string.count }
        var count = 0
        for _ in string {
            count += 1
            if count > limit { return count }
        }
        return count
    }

    /// `length(1...2000)`, `range(1...500)`, `pattern(^[a-z]+$)`, `oneOf(["a","b"])`, `count(...10)`.
    public var description: String {
        func text<T>(_ bounds: Bounds<T>) -> String {
            "\(bounds.min.map { "\($0)" } ?? "")...\(bounds.max.map { "\($0)" } ?? "")"
        }
        switch kind {
        case .length(let bounds): return "length(\(text(bounds)))"
        case .range(let bounds): return "range(\(text(bounds)))"
        case .pattern(let pattern): return "pattern(\(pattern.source))"
        case .oneOf(let values): return "oneOf(\(JSON.serialize(.array(values))))"
        case .count(let bounds): return "count(\(text(bounds)))"
        }
    }
}
