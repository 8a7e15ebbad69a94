import WSKitContract
import WSKitValidation

/// JSON Schema (draft 2020-12) for payload shapes.
///
/// The keywords used (`type`, `properties`, `required`, `additionalProperties`, `items`, `enum`,
/// `const`, `anyOf`, `minLength`/`maxLength`, `minimum`/`maximum`, `minItems`/`maxItems`,
/// `pattern`) mean the same in draft-07, so the schemas also serve as AsyncAPI schemas.
///
/// Where JSON Schema and the Swift validator can disagree:
/// - lengths: the validator counts characters (grapheme clusters), JSON Schema counts code
///   points; they differ only for strings with combining marks, emoji sequences or `\r\n`;
/// - patterns: Swift `Regex` syntax is carried as is; common syntax (classes, anchors,
///   quantifiers) is the same in ECMA-262.
public enum JSONSchema {
    /// The `$schema` of draft 2020-12.
    public static let dialect = "https://json-schema.org/draft/2020-12/schema"

    /// A standalone schema for `shape`, with `$schema` and an optional `title`.
    public static func document(for shape: PayloadShape, title: String? = nil) -> JSONValue {
        var object = JSONObject()
        object["$schema"] = .string(dialect)
        if let title { object["title"] = .string(title) }
        if case .object(let body) = schema(for: shape) {
            for (key, value) in body { object[key] = value }
        }
        return .object(object)
    }

    /// The schema of `shape` (no `$schema`).
    public static func schema(for shape: PayloadShape) -> JSONValue {
        var object = JSONObject()
        switch shape.kind {
        case .string: object["type"] = "string"
        case .integer: object["type"] = "integer"
        case .number: object["type"] = "number"
        case .boolean: object["type"] = "boolean"
        case .null: object["type"] = "null"
        case .any: break
        case .array(let element):
            object["type"] = "array"
            object["items"] = schema(for: element)
        case .object(let fields, let strict):
            object["type"] = "object"
            var properties = JSONObject()
            for field in fields { properties[field.name] = schema(for: field.shape) }
            object["properties"] = .object(properties)
            let required = fields.filter(\.isRequired).map { JSONValue.string($0.name) }
            if !required.isEmpty { object["required"] = .array(required) }
            if strict { object["additionalProperties"] = false }
        case .dictionary(let values):
            object["type"] = "object"
            object["additionalProperties"] = schema(for: values)
        case .optional(let wrapped):
            object["anyOf"] = [schema(for: wrapped), ["type": "null"]]
        case .literal(let value):
            object["const"] = value
        }
        for constraint in shape.constraints {
            switch constraint.rule {
            case .length(let bounds):
                if let min = bounds.min { object["minLength"] = .number(Double(min)) }
                if let max = bounds.max { object["maxLength"] = .number(Double(max)) }
            case .range(let bounds):
                if let min = bounds.min { object["minimum"] = .number(min) }
                if let max = bounds.max { object["maximum"] = .number(max) }
            case .pattern(let source):
                object["pattern"] = .string(source)
            case .oneOf(let values):
                object["enum"] = .array(values)
            case .count(let bounds):
                if let min = bounds.min { object["minItems"] = .number(Double(min)) }
                if let max = bounds.max { object["maxItems"] = .number(Double(max)) }
            }
        }
        return .object(object)
    }
}
