import WSKitContract

/// A `Decoder` over a ``JSONValue`` that validates while it decodes.
///
/// - Strict: every object key the type did not read is reported as `unrecognized_key`.
/// - Complete: type errors do not stop decoding. The decoder records the issue, hands the type a
///   placeholder (`""`, `0`, `false`, `nil`, an empty container, or a value built from
///   placeholders) and carries on, so one pass reports every issue, each with its path.
/// - Constraints declared with property wrappers on ``Validatable`` types are checked against the
///   wire value of each key.
final class PayloadDecoder: Decoder {
    let value: JSONValue
    let parent: PayloadDecoder?
    let component: JSONPath.Component?
    let state: DecodingState
    /// Placeholder decoders answer every request with a default and record nothing.
    let isPlaceholder: Bool
    /// Constraints of the type being decoded, by key (when it is ``Validatable``).
    var constraints: ConstraintTable?

    /// Keys of `value` read so far (bit `i` for the `i`-th key; `overflow` beyond 64 keys).
    var usedMask: UInt64 = 0
    var usedOverflow: Set<Int>? = nil
    var usesKeyedContainer = false
    /// Whether the type asked for any container at all. A type that reads nothing (an empty
    /// struct's synthesised `init(from:)`) still only accepts `{}`.
    var askedForContainer = false
    /// Where the next key lookup starts (one past the previous hit).
    var nextKeyHint = 0
    /// Set by a constraint wrapper decoded under one of this decoder's keys.
    var decodedWrapper = false

    init(value: JSONValue, parent: PayloadDecoder?, component: JSONPath.Component?, state: DecodingState,
         isPlaceholder: Bool = false) {
        self.value = value
        self.parent = parent
        self.component = component
        self.state = state
        self.isPlaceholder = isPlaceholder
    }

    // MARK: Paths

    var path: JSONPath {
        var components: [JSONPath.Component] = []
        var node: PayloadDecoder? = self
        while let current = node {
            if let component = current.component { components.append(component) }
            node = current.parent
        }
        return state.basePath.appending(JSONPath(components.reversed()))
    }

    func path(appending component: JSONPath.Component) -> JSONPath {
        var path = self.path
        path.components.append(component)
        return path
    }

    var codingPath: [any CodingKey] {
        var keys: [any CodingKey] = []
        var node: PayloadDecoder? = self
        while let current = node {
            switch current.component {
            case .key(let key)?: keys.append(PathKey(stringValue: key))
            case .index(let index)?: keys.append(PathKey(intValue: index))
            case nil: break
            }
            node = current.parent
        }
        return keys.reversed()
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    // MARK: Issues

    func record(_ issue: ValidationIssue) {
        if !isPlaceholder { state.issues.append(issue) }
    }

    // MARK: Containers

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        askedForContainer = true
        if !isPlaceholder, case .object(let object) = value {
            usesKeyedContainer = true
            return KeyedDecodingContainer(PayloadKeyedContainer<Key>(decoder: self, object: object))
        }
        if !isPlaceholder { record(Issues.invalidType(path, expected: "object", received: value)) }
        let placeholder = isPlaceholder ? self : placeholderChild()
        return KeyedDecodingContainer(PayloadKeyedContainer<Key>(decoder: placeholder, object: [:]))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        askedForContainer = true
        if !isPlaceholder, case .array(let array) = value {
            return PayloadUnkeyedContainer(decoder: self, array: array)
        }
        if !isPlaceholder { record(Issues.invalidType(path, expected: "array", received: value)) }
        return PayloadUnkeyedContainer(decoder: isPlaceholder ? self : placeholderChild(), array: [])
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        askedForContainer = true
        return PayloadSingleValueContainer(decoder: self)
    }

    func placeholderChild() -> PayloadDecoder {
        PayloadDecoder(value: .null, parent: self, component: nil, state: state, isPlaceholder: true)
    }

    // MARK: Unknown keys

    func markUsed(_ index: Int) {
        if index < 64 {
            usedMask |= 1 << UInt64(index)
        } else {
            if usedOverflow == nil { usedOverflow = [] }
            usedOverflow!.insert(index)
        }
    }

    func isUsed(_ index: Int) -> Bool {
        index < 64 ? usedMask & (1 << UInt64(index)) != 0 : usedOverflow?.contains(index) ?? false
    }

    /// Reports every key of the object that no keyed container read.
    func reportUnknownKeys() {
        guard !isPlaceholder else { return }
        if !askedForContainer {
            // The type read nothing: it is an empty object, and strict decoding accepts only `{}`.
            guard case .object = value else {
                record(Issues.invalidType(path, expected: "object", received: value))
                return
            }
        } else if !usesKeyedContainer {
            return
        }
        guard case .object(let object) = value else { return }
        if object.count < 64, usedMask == (UInt64(1) << UInt64(object.count)) &- 1 { return }
        var index = 0
        var base: JSONPath? = nil
        for (key, _) in object {
            if !isUsed(index) {
                if base == nil { base = path }
                record(Issues.unrecognizedKey(base!, key))
            }
            index += 1
        }
    }

    // MARK: Decoding values

    /// Decodes a primitive (`String`, `Bool`, numbers) from `value`, recording a type issue and
    /// returning a placeholder on mismatch.
    @inline(__always)
    func decodePrimitive<T: PrimitiveDecodable>(_ type: T.Type, from value: JSONValue, at component: JSONPath.Component?) -> T {
        if let decoded = T.convert(value), !isPlaceholder { return decoded }
        if isPlaceholder { return T.placeholder }
        let path = component.map { self.path(appending: $0) } ?? self.path
        record(T.problem(with: value).issue(at: path, received: value))
        return T.placeholder
    }

    /// Decodes any `Decodable` from `value` through a child decoder, then reports its unknown
    /// keys. Falls back to a placeholder when the type throws.
    func decodeValue<T: Decodable>(_ type: T.Type, from value: JSONValue, at component: JSONPath.Component?) throws -> T {
        let facts = TypeFactsCache.facts(for: type)
        if let fast = facts.fast {
            return try decodeFast(fast, as: T.self, value, component)
        }
        if isPlaceholder { return try Self.placeholder(type, state: state) }
        let child = PayloadDecoder(value: value, parent: self, component: component, state: state)
        child.constraints = facts.constraints
        let issuesBefore = state.issues.count
        do {
            let decoded = try T(from: child)
            child.reportUnknownKeys()
            return decoded
        } catch is UnrecoverableDecoding {
            // Issues are recorded already.
        } catch {
            // A type that failed after one of its reads was already reported (an enum decoding its
            // raw value from a number) needs no second issue.
            if state.issues.count == issuesBefore {
                child.record(Self.issue(for: error, decoding: type, value: value, at: child.path))
            }
        }
        return try Self.placeholder(type, state: state)
    }

    /// A value of `type` built from placeholders, for the parent to continue with.
    static func placeholder<T: Decodable>(_ type: T.Type, state: DecodingState) throws -> T {
        if let fast = type as? any FastDecodable.Type { return try placeholderFast(fast, as: T.self, state) }
        if let cases = type as? any CaseIterable.Type, let first = firstCase(cases) as? T { return first }
        do {
            return try ConstraintCapture.nested {
                try T(from: PayloadDecoder(value: .null, parent: nil, component: nil, state: state, isPlaceholder: true))
            }
        } catch {
            throw UnrecoverableDecoding()
        }
    }

    static func firstCase<C: CaseIterable>(_ type: C.Type) -> Any? { C.allCases.first }

    /// An issue for an error a type's own `init(from:)` threw.
    static func issue<T>(for error: any Error, decoding type: T.Type, value: JSONValue, at path: JSONPath) -> ValidationIssue {
        if let options = enumOptions(type) {
            return Issues.notOneOf(path, options, received: value)
        }
        if let decodingError = error as? DecodingError {
            switch decodingError {
            case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context),
                 .keyNotFound(_, let context):
                return Issues.custom(path, context.debugDescription)
            @unknown default:
                return Issues.custom(path, "invalid value")
            }
        }
        if let failure = error as? ValidationFailure, let first = failure.issues.first {
            return ValidationIssue(path: path.appending(first.path), message: first.message, code: first.code)
        }
        return Issues.custom(path, String(describing: error))
    }

    /// The raw values of a `CaseIterable` enum with string or integer raw values.
    static func enumOptions<T>(_ type: T.Type) -> [JSONValue]? {
        guard let cases = type as? any (CaseIterable & RawRepresentable).Type else { return nil }
        return rawValues(cases)
    }

    static func rawValues<C: CaseIterable & RawRepresentable>(_ type: C.Type) -> [JSONValue]? {
        var values: [JSONValue] = []
        for element in C.allCases {
            switch element.rawValue {
            case let string as String: values.append(.string(string))
            case let int as Int: values.append(.number(Double(int)))
            default: return nil
            }
        }
        return values
    }
}
