import WSKitContract

/// Why a JSON value does not convert to a primitive Swift type.
enum PrimitiveProblem: Error {
    case type(expected: String)
    case notInteger
    case tooSmall(String)
    case tooBig(String)

    func issue(at path: JSONPath, received value: JSONValue) -> ValidationIssue {
        switch self {
        case .type(let expected): Issues.invalidType(path, expected: expected, received: value)
        case .notInteger: Issues.notInteger(path)
        case .tooSmall(let minimum): Issues.tooSmall(path, "must be", minimum)
        case .tooBig(let maximum): Issues.tooBig(path, "must be", maximum)
        }
    }
}

/// The types the decoder converts directly from a ``JSONValue``, without a child decoder.
protocol PrimitiveDecodable: FastDecodable {
    static var placeholder: Self { get }
    /// The value, or `nil` (then ``problem(with:)`` says why).
    static func convert(_ value: JSONValue) -> Self?
    /// Why `value` does not convert.
    static func problem(with value: JSONValue) -> PrimitiveProblem
}

extension String: PrimitiveDecodable {
    static var placeholder: String { "" }
    @inline(__always) static func convert(_ value: JSONValue) -> String? {
        if case .string(let string) = value { return string }
        return nil
    }
    static func problem(with value: JSONValue) -> PrimitiveProblem { .type(expected: "string") }
}

extension Bool: PrimitiveDecodable {
    static var placeholder: Bool { false }
    @inline(__always) static func convert(_ value: JSONValue) -> Bool? {
        if case .bool(let flag) = value { return flag }
        return nil
    }
    static func problem(with value: JSONValue) -> PrimitiveProblem { .type(expected: "boolean") }
}

extension Double: PrimitiveDecodable {
    static var placeholder: Double { 0 }
    @inline(__always) static func convert(_ value: JSONValue) -> Double? {
        if case .number(let number) = value { return number }
        return nil
    }
    static func problem(with value: JSONValue) -> PrimitiveProblem { .type(expected: "number") }
}

extension Float: PrimitiveDecodable {
    static var placeholder: Float { 0 }
    static func convert(_ value: JSONValue) -> Float? {
        guard case .number(let number) = value else { return nil }
        let float = Float(number)
        return float.isInfinite ? nil : float
    }
    static func problem(with value: JSONValue) -> PrimitiveProblem {
        guard case .number(let number) = value else { return .type(expected: "number") }
        return number < 0 ? .tooSmall("\(-Float.greatestFiniteMagnitude)") : .tooBig("\(Float.greatestFiniteMagnitude)")
    }
}

/// Integers: the number must have no fraction and fit the type.
protocol PrimitiveInteger: PrimitiveDecodable, FixedWidthInteger {}

extension PrimitiveInteger {
    static var placeholder: Self { 0 }
    @inline(__always) static func convert(_ value: JSONValue) -> Self? {
        guard case .number(let number) = value else { return nil }
        return Self(exactly: number)
    }
    static func problem(with value: JSONValue) -> PrimitiveProblem {
        guard case .number(let number) = value else { return .type(expected: "integer") }
        guard number.rounded(.towardZero) == number else { return .notInteger }
        return number < 0 ? .tooSmall("\(Self.min)") : .tooBig("\(Self.max)")
    }
}

extension Int: PrimitiveInteger {}
extension Int8: PrimitiveInteger {}
extension Int16: PrimitiveInteger {}
extension Int32: PrimitiveInteger {}
extension Int64: PrimitiveInteger {}
extension UInt: PrimitiveInteger {}
extension UInt8: PrimitiveInteger {}
extension UInt16: PrimitiveInteger {}
extension UInt32: PrimitiveInteger {}
extension UInt64: PrimitiveInteger {}
