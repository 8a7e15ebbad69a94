extension JSON {
    /// Appends `string` as a JSON string (quoted; `"`, `\` and control characters escaped), exactly
    /// as ``serialize(_:into:)`` writes a ``JSONValue/string(_:)``.
    public static func writeString(_ string: String, into bytes: inout [UInt8]) {
        JSONSerializer.writeString(string, into: &bytes)
    }

    /// Appends a number exactly as ``serialize(_:into:)`` writes a ``JSONValue/number(_:)``:
    /// integral values within ±2^53 without a fraction, others in their shortest round-tripping
    /// form, non-finite values as `null`.
    public static func writeNumber(_ number: Double, into bytes: inout [UInt8]) {
        JSONSerializer.writeNumber(number, into: &bytes)
    }

    /// Appends an integer exactly as ``serialize(_:into:)`` writes `.number(Double(value))`
    /// (digits within ±2^53, the nearest double beyond), without the conversion in the common case.
    public static func writeInteger(_ value: Int64, into bytes: inout [UInt8]) {
        if value.magnitude <= 9_007_199_254_740_992 {
            JSONSerializer.writeInteger(value, into: &bytes)
        } else {
            JSONSerializer.writeNumber(Double(value), into: &bytes)
        }
    }

    /// Appends an unsigned integer exactly as ``serialize(_:into:)`` writes `.number(Double(value))`.
    public static func writeInteger(_ value: UInt64, into bytes: inout [UInt8]) {
        if value <= 9_007_199_254_740_992 {
            JSONSerializer.writeInteger(Int64(value), into: &bytes)
        } else {
            JSONSerializer.writeNumber(Double(value), into: &bytes)
        }
    }

    /// Appends a UTF-8 literal (no escaping): punctuation and keys known to need none.
    @inlinable
    public static func writeRaw(_ literal: StaticString, into bytes: inout [UInt8]) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }
}
