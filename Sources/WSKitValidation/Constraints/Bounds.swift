/// Inclusive lower and upper bounds, either of which may be open.
///
/// Built from Swift ranges: `1...500`, `1...`, `...500`.
public struct Bounds<Bound: Comparable & Hashable>: Hashable {
    /// The smallest allowed value, if any.
    public var min: Bound?
    /// The largest allowed value, if any.
    public var max: Bound?

    /// Creates bounds.
    public init(min: Bound?, max: Bound?) {
        self.min = min
        self.max = max
    }

    /// `lower...upper`.
    public init(_ range: ClosedRange<Bound>) { self.init(min: range.lowerBound, max: range.upperBound) }
    /// `lower...`.
    public init(_ range: PartialRangeFrom<Bound>) { self.init(min: range.lowerBound, max: nil) }
    /// `...upper`.
    public init(_ range: PartialRangeThrough<Bound>) { self.init(min: nil, max: range.upperBound) }
}

extension Bounds: Sendable where Bound: Sendable {}

/// A Swift range expression usable as ``Bounds``: `a...b`, `a...`, `...b`.
public protocol BoundsExpression<Bound> {
    /// The bound type.
    associatedtype Bound: Comparable & Hashable
    /// The bounds the range denotes.
    var bounds: Bounds<Bound> { get }
}

extension ClosedRange: BoundsExpression where Bound: Hashable {
    /// `lowerBound...upperBound`.
    public var bounds: Bounds<Bound> { Bounds(self) }
}

extension PartialRangeFrom: BoundsExpression where Bound: Hashable {
    /// `lowerBound...`.
    public var bounds: Bounds<Bound> { Bounds(self) }
}

extension PartialRangeThrough: BoundsExpression where Bound: Hashable {
    /// `...upperBound`.
    public var bounds: Bounds<Bound> { Bounds(self) }
}

extension Bounds: BoundsExpression {
    /// Itself.
    public var bounds: Bounds<Bound> { self }
}
