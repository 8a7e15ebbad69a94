import WSKitContract

/// A ``Validator`` driven by a ``Schema``: the output is the validated JSON, or a typed value
/// mapped from it.
///
/// ```swift
/// let plain = SchemaValidator(.object(["text": .string(length: 1...2000)]))          // JSONValue
/// let typed = SchemaValidator(schema, as: SendText.self)                               // Codable
/// let mapped = SchemaValidator(schema, decode: { Chat(text: $0["text"]!.stringValue!) },
///                              encode: { ["text": .string($0.text)] })
/// ```
public struct SchemaValidator<Output: Sendable>: Validator {
    /// The schema.
    public let schema: Schema
    let decoder: @Sendable (JSONValue, JSONPath) -> Result<Output, ValidationFailure>
    let encoder: @Sendable (Output) throws -> JSONValue

    /// Validates against `schema` and returns the validated JSON.
    public init(_ schema: Schema) where Output == JSONValue {
        self.schema = schema
        decoder = { value, _ in .success(value) }
        encoder = { $0 }
    }

    /// Validates against `schema`, then maps the JSON into `Output` with `decode`; `encode` maps
    /// back. An error thrown by `decode` becomes a `custom` issue at the value's path.
    public init(
        _ schema: Schema,
        decode: @escaping @Sendable (JSONValue) throws -> Output,
        encode: @escaping @Sendable (Output) throws -> JSONValue
    ) {
        self.schema = schema
        decoder = { value, path in
            do {
                return .success(try decode(value))
            } catch let failure as ValidationFailure {
                return .failure(failure)
            } catch {
                return .failure(ValidationFailure(issues: [Issues.custom(path, String(describing: error))]))
            }
        }
        encoder = encode
    }

    /// Validates against `schema`, then decodes `Output` with the same decoder as
    /// ``CodableValidator`` (whose own checks then rarely find anything the schema did not).
    public init(_ schema: Schema, as type: Output.Type) where Output: Codable {
        self.schema = schema
        let codable = CodableValidator<Output>()
        decoder = { value, path in codable.validate(value, at: path) }
        encoder = { try codable.encode($0) }
    }

    /// Validates `value` against the schema, then maps it.
    public func validate(_ value: JSONValue, at path: JSONPath) -> Result<Output, ValidationFailure> {
        var issues: [ValidationIssue] = []
        var stack: [JSONPath.Component] = []
        let changed = schema.evaluate(value, base: path, stack: &stack, issues: &issues)
        if !issues.isEmpty { return .failure(ValidationFailure(issues: issues)) }
        return decoder(changed ?? value, path)
    }

    /// Maps `value` back to JSON.
    public func encode(_ value: Output) throws -> JSONValue { try encoder(value) }
}
