import WSKitContract

extension Constraint {
    /// What a constraint requires, as plain values (for descriptions and generated schemas).
    public enum Rule: Sendable, Hashable {
        /// String length in characters (grapheme clusters), inclusive bounds.
        case length(Bounds<Int>)
        /// Number range, inclusive bounds.
        case range(Bounds<Double>)
        /// A regular expression (Swift `Regex` syntax) the string must contain a match of.
        case pattern(String)
        /// The value must equal one of these.
        case oneOf([JSONValue])
        /// Array element count, inclusive bounds.
        case count(Bounds<Int>)
    }

    /// What this constraint requires.
    public var rule: Rule {
        switch kind {
        case .length(let bounds): return .length(bounds)
        case .range(let bounds): return .range(bounds)
        case .pattern(let pattern): return .pattern(pattern.source)
        case .oneOf(let values): return .oneOf(values)
        case .count(let bounds): return .count(bounds)
        }
    }
}
