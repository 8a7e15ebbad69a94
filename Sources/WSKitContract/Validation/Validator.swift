/// The Swift counterpart of Standard Schema: validates a JSON value into a typed output, and
/// encodes outputs back to JSON.
///
/// Implementations are interchangeable: the router only sees this protocol. A validator reports
/// *every* issue it finds (not just the first), each with a path that starts at `path`, so the
/// router can pass `.payload` and clients see `payload.items[3].name`.
public protocol Validator<Output>: Sendable {
    /// The typed value a successful validation produces.
    associatedtype Output: Sendable

    /// Checks `value` and converts it to `Output`, or returns every issue found.
    func validate(_ value: JSONValue, at path: JSONPath) -> Result<Output, ValidationFailure>

    /// Converts an output back to JSON (for sending). Throws only when the value cannot be
    /// represented (for example a non-finite number when the encoder forbids it).
    func encode(_ value: Output) throws -> JSONValue

    /// Appends the compact JSON text of `value` to `bytes`: the same text as serialising
    /// ``encode(_:)``'s result, which is what the default implementation does. Validators that can
    /// write JSON directly (``CodableValidator`` does) skip the intermediate ``JSONValue``; the
    /// router sends outbound payloads this way when outgoing validation is off. On a throw, `bytes`
    /// may hold a partial value: the caller discards it.
    func encode(_ value: Output, into bytes: inout [UInt8]) throws
}

extension Validator {
    /// Serialises ``encode(_:)``'s result.
    public func encode(_ value: Output, into bytes: inout [UInt8]) throws {
        JSON.serialize(try encode(value), into: &bytes)
    }

    /// Validates at the root path.
    @inlinable public func validate(_ value: JSONValue) -> Result<Output, ValidationFailure> {
        validate(value, at: .root)
    }

    /// Encodes `value`, then validates the JSON it produced, so that outgoing messages obey the
    /// same constraints as incoming ones. Throws the ``ValidationFailure`` when they do not.
    public func encodeValidated(_ value: Output, at path: JSONPath = .root) throws -> JSONValue {
        let json = try encode(value)
        if case .failure(let failure) = validate(json, at: path) { throw failure }
        return json
    }
}
