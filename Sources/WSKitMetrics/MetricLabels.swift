/// Up to two labels of one observation, stored inline (no allocation for the labels themselves).
///
/// WSKit's own metrics use at most two (`type` and `outcome`, `code` and `phase`); label values
/// come from a bounded set (route types, error codes, reasons), never from client input.
public struct MetricLabels: Sendable, Hashable {
    /// The first label's name and value, if any.
    public var first: (name: String, value: String)? {
        firstName.map { ($0, firstValue) }
    }
    /// The second label's name and value, if any.
    public var second: (name: String, value: String)? {
        secondName.map { ($0, secondValue) }
    }

    @usableFromInline var firstName: String?
    @usableFromInline var firstValue: String
    @usableFromInline var secondName: String?
    @usableFromInline var secondValue: String

    /// No labels.
    public static let none = MetricLabels()

    /// No labels.
    @inlinable public init() {
        firstName = nil
        firstValue = ""
        secondName = nil
        secondValue = ""
    }

    /// One label.
    @inlinable public init(_ name: String, _ value: String) {
        firstName = name
        firstValue = value
        secondName = nil
        secondValue = ""
    }

    /// Two labels.
    @inlinable public init(_ name: String, _ value: String, _ name2: String, _ value2: String) {
        firstName = name
        firstValue = value
        secondName = name2
        secondValue = value2
    }

    /// The labels as name/value pairs, in order.
    public var pairs: [(name: String, value: String)] {
        [first, second].compactMap { $0 }
    }
}
