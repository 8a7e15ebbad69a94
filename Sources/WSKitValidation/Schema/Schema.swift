import WSKitContract

/// A JSON schema built from values, in the style of zod and valibot:
///
/// ```swift
/// let sendText: Schema = .object([
///     "text": .string(length: 1...2000),
///     "limit": .optional(.integer(range: 1...500)),
///     "tags": .array(.string.pattern("^[a-z]+$"), count: ...10),
///     "order": .oneOf(["asc", "desc"]),
/// ])
/// ```
///
/// Objects are strict by default (unknown keys are `unrecognized_key` issues); fields are checked
/// in declaration order, then unknown keys in wire order, and the issues and messages are the
/// same as ``CodableValidator``'s for the equivalent Swift type. ``optional(_:)`` accepts a
/// missing key or `null`, like a Swift optional. Use ``validator()`` or ``SchemaValidator`` to
/// plug a schema into a message.
public struct Schema: Sendable {
    indirect enum Node: Sendable {
        case string
        case number
        case integer
        case boolean
        case null
        case any
        case array(Schema)
        case object(fields: [(String, Schema)], declared: Set<String>?, strict: Bool)
        case record(Schema)
        case optional(Schema)
        case oneOf([JSONValue])
        case literal(JSONValue)
    }

    let node: Node
    /// Constraints checked after the type check.
    var constraints: [Constraint] = []
    /// Custom checks: the message to report when the predicate fails.
    var refinements: [Refinement] = []

    struct Refinement: Sendable {
        let message: String
        let predicate: @Sendable (JSONValue) -> Bool
    }

    init(_ node: Node) { self.node = node }

    // MARK: Types

    /// Any string.
    public static let string = Schema(.string)
    /// Any finite number.
    public static let number = Schema(.number)
    /// A number without fraction that fits `Int`.
    public static let integer = Schema(.integer)
    /// `true` or `false`.
    public static let boolean = Schema(.boolean)
    /// `null`.
    public static let null = Schema(.null)
    /// Any JSON value.
    public static let any = Schema(.any)

    /// A string whose length (in characters) is within `length`, optionally matching `pattern`.
    public static func string(length: some BoundsExpression<Int>, pattern: String? = nil) -> Schema {
        var schema = Schema.string.length(length)
        if let pattern { schema = schema.pattern(pattern) }
        return schema
    }

    /// A string matching `pattern`.
    public static func string(pattern: String) -> Schema { Schema.string.pattern(pattern) }

    /// A number within `range`.
    public static func number(range: some BoundsExpression<Double>) -> Schema { Schema.number.range(range) }

    /// A number within `range` (integer bounds).
    public static func number(range: some BoundsExpression<Int>) -> Schema { Schema.number.range(range) }

    /// An integer within `range`.
    public static func integer(range: some BoundsExpression<Int>) -> Schema { Schema.integer.range(range) }

    /// An array whose elements all match `element`.
    public static func array(_ element: Schema) -> Schema { Schema(.array(element)) }

    /// An array of `element`s whose count is within `count`.
    public static func array(_ element: Schema, count: some BoundsExpression<Int>) -> Schema {
        Schema(.array(element)).count(count)
    }

    /// An object with the given fields, in order. Strict by default: other keys are issues.
    /// Non-strict objects accept other keys and drop them from the output.
    public static func object(_ fields: KeyValuePairs<String, Schema>, strict: Bool = true) -> Schema {
        let list = fields.map { ($0.key, $0.value) }
        return Schema(.object(fields: list, declared: list.count > 8 ? Set(list.map(\.0)) : nil, strict: strict))
    }

    /// An object with any keys whose values all match `values`.
    public static func record(_ values: Schema) -> Schema { Schema(.record(values)) }

    /// `schema`, or a missing key, or `null`.
    public static func optional(_ schema: Schema) -> Schema { Schema(.optional(schema)) }

    /// One of the given strings (a string first: other types are `invalid_type`, as for a Swift
    /// `String` or string enum).
    public static func oneOf(_ values: [String]) -> Schema { oneOf(values.map(JSONValue.string)) }

    /// One of the given JSON values. When all values share a type (all strings, all integers,
    /// all numbers, all booleans), a value of another type is an `invalid_type` issue, matching
    /// the Swift property it stands for; mixed sets only report `invalid_enum_value`.
    public static func oneOf(_ values: [JSONValue]) -> Schema {
        let base: Schema
        if !values.isEmpty, values.allSatisfy({ $0.stringValue != nil }) {
            base = .string
        } else if !values.isEmpty, values.allSatisfy({ $0.intValue != nil }) {
            base = .integer
        } else if !values.isEmpty, values.allSatisfy({ $0.doubleValue != nil }) {
            base = .number
        } else if !values.isEmpty, values.allSatisfy({ $0.boolValue != nil }) {
            base = .boolean
        } else {
            return Schema(.oneOf(values))
        }
        return base.constrained(.oneOf(values))
    }

    /// Exactly `value`.
    public static func literal(_ value: JSONValue) -> Schema { Schema(.literal(value)) }

    // MARK: Modifiers

    /// Adds a constraint.
    public func constrained(_ constraint: Constraint) -> Schema {
        var copy = self
        copy.constraints.append(constraint)
        return copy
    }

    /// Adds a string length constraint.
    public func length(_ bounds: some BoundsExpression<Int>) -> Schema { constrained(.length(bounds)) }
    /// Adds a pattern constraint.
    public func pattern(_ source: String) -> Schema { constrained(.pattern(source)) }
    /// Adds a number range constraint.
    public func range(_ bounds: some BoundsExpression<Double>) -> Schema { constrained(.range(bounds)) }
    /// Adds a number range constraint with integer bounds.
    public func range(_ bounds: some BoundsExpression<Int>) -> Schema { constrained(.range(bounds)) }
    /// Adds an array count constraint.
    public func count(_ bounds: some BoundsExpression<Int>) -> Schema { constrained(.count(bounds)) }
    /// This schema, or a missing key, or `null`.
    public func optional() -> Schema { .optional(self) }

    /// Adds a custom check, reported with code `custom` and `message` when `predicate` is false.
    /// Runs only when the value passed every other check.
    public func refine(_ message: String, _ predicate: @escaping @Sendable (JSONValue) -> Bool) -> Schema {
        var copy = self
        copy.refinements.append(Refinement(message: message, predicate: predicate))
        return copy
    }

    /// A validator producing the validated ``JSONValue``.
    public func validator() -> SchemaValidator<JSONValue> { SchemaValidator(self) }
}
