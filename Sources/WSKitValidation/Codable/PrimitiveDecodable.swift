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
protocol PrimitiveDecodable: Decodable {
    static var placeholder: Self { get }
    static func decode(_ value: JSONValue) -> Result<Self, PrimitiveProblem>
}

extension String: PrimitiveDecodable {
    static var placeholder: String { "" }
    static func decode(_ value: JSONValue) -> Result<String, PrimitiveProblem> {
        if case .string(let string) = value { return .success(string) }
        return .failure(.type(expected: "string"))
    }
}

extension Bool: PrimitiveDecodable {
    static var placeholder: Bool { false }
    static func decode(_ value: JSONValue) -> Result<Bool, PrimitiveProblem> {
        if case .bool(let flag) = value { return .success(flag) }
        return .failure(.type(expected: "boolean"))
    }
}

extension Double: PrimitiveDecodable {
    static var placeholder: Double { 0 }
    static func decode(_ value: JSONValue) -> Result<Double, PrimitiveProblem> {
        if case .number(let number) = value { return .success(number) }
        return .failure(.type(expected: "number"))
    }
}

extension Float: PrimitiveDecodable {
    static var placeholder: Float { 0 }
    static func decode(_ value: JSONValue) -> Result<Float, PrimitiveProblem> {
        guard case .number(let number) = value else { return .failure(.type(expected: "number")) }
        let float = Float(number)
        if float.isInfinite {
            return .failure(number < 0 ? .tooSmall("\(-Float.greatestFiniteMagnitude)") : .tooBig("\(Float.greatestFiniteMagnitude)"))
        }
        return .success(float)
    }
}

/// Integers: the number must have no fraction and fit the type.
protocol PrimitiveInteger: PrimitiveDecodable, FixedWidthInteger {}

extension PrimitiveInteger {
    static var placeholder: Self { 0 }
    static func decode(_ value: JSONValue) -> Result<Self, PrimitiveProblem> {
        guard case .number(let number) = value else { return .failure(.type(expected: "integer")) }
        guard number.rounded(.towardZero) == number else { return .failure(.notInteger) }
        if let integer = Self(exactly: number) { return .success(integer) }
        return .failure(number < 0 ? .tooSmall("\(Self.min)") : .tooBig("\(Self.max)"))
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
