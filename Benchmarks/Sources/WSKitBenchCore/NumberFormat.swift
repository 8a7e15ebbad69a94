/// Number formatting for the tables: thousands separators, significant digits that fit the size.
public enum NumberFormat {
    /// `1234567.8` → `1,234,568`; values under 100 keep up to 3 significant digits (`12.3`, `0.456`).
    public static func value(_ x: Double) -> String {
        guard x.isFinite else { return "–" }
        let magnitude = abs(x)
        if magnitude >= 100 { return grouped(Int(x.rounded())) }
        if magnitude >= 10 { return fixed(x, digits: 1) }
        if magnitude >= 1 { return fixed(x, digits: 2) }
        if magnitude == 0 { return "0" }
        return fixed(x, digits: 3)
    }

    /// A ratio: `0.456` → `0.46×`.
    public static func ratio(_ x: Double) -> String {
        guard x.isFinite else { return "–" }
        return fixed(x, digits: x >= 10 ? 1 : 2) + "×"
    }

    /// A signed percentage: `0.1234` → `+12.3%`.
    public static func percent(_ x: Double) -> String {
        guard x.isFinite else { return "–" }
        return (x >= 0 ? "+" : "") + fixed(x * 100, digits: 1) + "%"
    }

    /// `x` with `digits` decimals (no exponent notation).
    public static func fixed(_ x: Double, digits: Int) -> String {
        var scale = 1.0
        for _ in 0 ..< digits { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        var text = String(whole)
        if digits > 0 {
            let digitsText = String(fraction)
            text += "." + String(repeating: "0", count: max(0, digits - digitsText.count)) + digitsText
        }
        return (x < 0 && scaled != 0 ? "-" : "") + text
    }

    /// `1234567` → `1,234,567`.
    public static func grouped(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }
}
