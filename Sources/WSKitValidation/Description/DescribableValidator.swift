import WSKitContract

/// A validator that can say what it accepts, for descriptions and generated schemas.
/// ``CodableValidator``, ``SchemaValidator`` and `EmptyValidator` conform; a payload whose
/// validator does not is described as any JSON value.
public protocol DescribableValidator: Validator {
    /// The structure and constraints of the values this validator accepts.
    var payloadShape: PayloadShape { get }
}

extension CodableValidator: DescribableValidator {
    /// The shape derived from `Output` (``PayloadShape/of(_:)``).
    public var payloadShape: PayloadShape { PayloadShape.of(Output.self) }
}

extension SchemaValidator: DescribableValidator {
    /// The shape of the schema (refinements, which are closures, are not described).
    public var payloadShape: PayloadShape { schema.payloadShape }
}

extension EmptyValidator: DescribableValidator {
    /// An object with no fields.
    public var payloadShape: PayloadShape { .empty }
}

extension Schema {
    /// The structure and constraints of this schema (refinements are not described).
    public var payloadShape: PayloadShape {
        let kind: PayloadShape.Kind
        switch node {
        case .string: kind = .string
        case .number: kind = .number
        case .integer: kind = .integer
        case .boolean: kind = .boolean
        case .null: kind = .null
        case .any: kind = .any
        case .array(let element): kind = .array(element.payloadShape)
        case .object(let fields, _, let strict):
            kind = .object(fields: fields.map { PayloadShape.Field(name: $0.0, shape: $0.1.payloadShape) }, strict: strict)
        case .record(let values): kind = .dictionary(values.payloadShape)
        case .optional(let wrapped): kind = .optional(wrapped.payloadShape)
        case .oneOf(let values): return PayloadShape(.any, constraints: [.oneOf(values)] + constraints)
        case .literal(let value): kind = .literal(value)
        }
        return PayloadShape(kind, constraints: constraints)
    }
}

extension Message {
    /// The shape of this message's payload, when its validator can describe it (`nil` otherwise).
    public static var payloadShape: PayloadShape? {
        (payloadValidator as? any DescribableValidator)?.payloadShape
    }
}

extension RPC {
    /// The shape of this RPC's response (and progress) payload, when its validator can describe it.
    public static var responseShape: PayloadShape? {
        (responseValidator as? any DescribableValidator)?.payloadShape
    }
}
