/// A value with a default the constraint wrappers use when declared without one
/// (`@Length(1...20) var name: String` starts as `""`), which is what gives a ``Validatable``
/// type its `init()`. The default only seeds the prototype; decoding always replaces it.
public protocol PrototypeValue: Codable {
    /// The default value.
    static var prototypeValue: Self { get }
}

/// Values ``Length`` and ``Pattern`` apply to: `String` and `String?`.
public protocol StringConstrainable: PrototypeValue {}
/// Values ``InRange`` applies to: integers, `Double`, `Float`, and their optionals.
public protocol NumberConstrainable: PrototypeValue {}
/// Values ``Count`` applies to: arrays and optional arrays.
public protocol CollectionConstrainable: PrototypeValue {}

extension String: StringConstrainable {
    /// `""`.
    public static var prototypeValue: String { "" }
}

extension Optional: PrototypeValue where Wrapped: Codable {
    /// `nil`.
    public static var prototypeValue: Optional<Wrapped> { nil }
}

extension Optional: StringConstrainable where Wrapped == String {}
extension Optional: NumberConstrainable where Wrapped: NumberConstrainable {}
extension Optional: CollectionConstrainable where Wrapped: CollectionConstrainable {}

extension Array: PrototypeValue where Element: Codable {
    /// `[]`.
    public static var prototypeValue: [Element] { [] }
}

extension Array: CollectionConstrainable where Element: Codable {}

extension Int: NumberConstrainable { /// `0`.
    public static var prototypeValue: Int { 0 } }
extension Int8: NumberConstrainable { /// `0`.
    public static var prototypeValue: Int8 { 0 } }
extension Int16: NumberConstrainable { /// `0`.
    public static var prototypeValue: Int16 { 0 } }
extension Int32: NumberConstrainable { /// `0`.
    public static var prototypeValue: Int32 { 0 } }
extension Int64: NumberConstrainable { /// `0`.
    public static var prototypeValue: Int64 { 0 } }
extension UInt: NumberConstrainable { /// `0`.
    public static var prototypeValue: UInt { 0 } }
extension UInt8: NumberConstrainable { /// `0`.
    public static var prototypeValue: UInt8 { 0 } }
extension UInt16: NumberConstrainable { /// `0`.
    public static var prototypeValue: UInt16 { 0 } }
extension UInt32: NumberConstrainable { /// `0`.
    public static var prototypeValue: UInt32 { 0 } }
extension UInt64: NumberConstrainable { /// `0`.
    public static var prototypeValue: UInt64 { 0 } }
extension Double: NumberConstrainable { /// `0`.
    public static var prototypeValue: Double { 0 } }
extension Float: NumberConstrainable { /// `0`.
    public static var prototypeValue: Float { 0 } }
