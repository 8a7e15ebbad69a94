/// A shape on the board: a rectangle with a colour and a label.
public struct Shape: Codable, Sendable, Hashable {
    /// Given by the server (`s1`, `s2`, …).
    public var id: String
    /// Position and size, in board units (the board is 1000 × 600).
    public var x: Double, y: Double, w: Double, h: Double
    /// `#rrggbb`.
    public var color: String
    /// The label (at most 80 characters).
    public var text: String

    /// A shape.
    public init(id: String, x: Double, y: Double, w: Double, h: Double, color: String, text: String) {
        (self.id, self.x, self.y, self.w, self.h, self.color, self.text) = (id, x, y, w, h, color, text)
    }
}

/// Some fields of a shape: what an edit sets (absent fields are left alone).
public struct ShapeFields: Codable, Sendable, Hashable {
    /// New position and size.
    public var x: Double?, y: Double?, w: Double?, h: Double?
    /// New colour.
    public var color: String?
    /// New label.
    public var text: String?

    /// Fields to set.
    public init(x: Double? = nil, y: Double? = nil, w: Double? = nil, h: Double? = nil, color: String? = nil, text: String? = nil) {
        (self.x, self.y, self.w, self.h, self.color, self.text) = (x, y, w, h, color, text)
    }

    /// The names of the fields set, in a fixed order.
    public var names: [String] {
        [("x", x != nil), ("y", y != nil), ("w", w != nil), ("h", h != nil), ("color", color != nil), ("text", text != nil)]
            .filter(\.1).map(\.0)
    }

    /// `shape` with these fields applied.
    func applied(to shape: Shape) -> Shape {
        var shape = shape
        if let x { shape.x = x }
        if let y { shape.y = y }
        if let w { shape.w = w }
        if let h { shape.h = h }
        if let color { shape.color = color }
        if let text { shape.text = text }
        return shape
    }

    /// Why these fields are unusable, if they are (ranges, colour format, label length).
    var problem: String? {
        for (name, value, range) in [("x", x, 0.0...1000), ("y", y, 0...600), ("w", w, 10...1000), ("h", h, 10...600)] {
            if let value, !range.contains(value) { return "\(name) must be in \(range.lowerBound)…\(range.upperBound)" }
        }
        if let color, !(color.utf8.count == 7 && color.hasPrefix("#") && color.utf8.dropFirst().allSatisfy(\.isHexDigit)) {
            return "color must be #rrggbb"
        }
        if let text, text.count > 80 { return "text has at most 80 characters" }
        return nil
    }
}

extension UInt8 {
    var isHexDigit: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}
