/// A fast matcher for the most common validation pattern: one ASCII character class repeated,
/// anchored at both ends (`^[a-z0-9_-]+$`, `^[A-Z]{3}$`, `^[0-9]{4,8}$`).
///
/// Equivalent to the regular expression for every input: only ASCII characters can match an
/// ASCII class, and for ASCII text bytes and characters coincide. Any other pattern returns `nil`
/// from ``init(_:)`` and is matched by `Regex`.
struct CharacterClassPattern: Sendable, Hashable {
    /// Bit `b` of `bits.0`/`bits.1` is set when ASCII byte `b` (0–63 / 64–127) is in the class.
    private var low: UInt64 = 0
    private var high: UInt64 = 0
    private let minimum: Int
    private let maximum: Int?

    init?(_ source: String) {
        var bytes = Array(source.utf8)
        guard bytes.count >= 4, bytes.first == UInt8(ascii: "^"), bytes.last == UInt8(ascii: "$") else { return nil }
        bytes.removeFirst()
        bytes.removeLast()
        var index = 0
        var low: UInt64 = 0
        var high: UInt64 = 0
        func add(_ byte: UInt8) {
            if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
        }
        func addRange(_ from: UInt8, _ to: UInt8) { for byte in from...to { add(byte) } }
        func addEscape(_ byte: UInt8) -> Bool {
            // `\d`, `\w` and `\s` are Unicode-aware in Swift `Regex` (they match `é`, `١`), so
            // they are left to `Regex`; only escaped ASCII punctuation is handled here.
            switch byte {
            case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "\\"), UInt8(ascii: "]"),
                 UInt8(ascii: "["), UInt8(ascii: "/"), UInt8(ascii: "+"), UInt8(ascii: "@"), UInt8(ascii: ":"):
                add(byte)
            default: return false
            }
            return true
        }
        // The class: `[...]`.
        do {
            guard bytes.first == UInt8(ascii: "["), bytes.count > 2, bytes[1] != UInt8(ascii: "^") else { return nil }
            index = 1
            var closed = false
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "]") && index > 1 {
                    closed = true
                    index += 1
                    break
                }
                guard byte < 0x80, byte > 0x20 else { return nil }
                if byte == UInt8(ascii: "\\") {
                    guard index + 1 < bytes.count, addEscape(bytes[index + 1]) else { return nil }
                    index += 2
                    continue
                }
                if byte == UInt8(ascii: "[") { return nil }  // nested classes, POSIX classes
                if index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "-"), bytes[index + 2] != UInt8(ascii: "]") {
                    let upper = bytes[index + 2]
                    guard upper < 0x80, upper >= byte, upper != UInt8(ascii: "\\"), upper != UInt8(ascii: "[") else { return nil }
                    addRange(byte, upper)
                    index += 3
                    continue
                }
                add(byte)
                index += 1
            }
            guard closed else { return nil }
        }
        // The quantifier: `+`, `*`, `{n}`, `{n,}`, `{n,m}`, or none (exactly one).
        let rest = bytes[index...]
        var minimum = 1
        var maximum: Int? = 1
        if rest.isEmpty {
        } else if rest.elementsEqual([UInt8(ascii: "+")]) {
            maximum = nil
        } else if rest.elementsEqual([UInt8(ascii: "*")]) {
            minimum = 0
            maximum = nil
        } else if rest.first == UInt8(ascii: "{"), rest.last == UInt8(ascii: "}") {
            let inner = String(decoding: rest.dropFirst().dropLast(), as: UTF8.self)
            let parts = inner.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 1 || parts.count == 2, let lower = Int(parts[0]), lower >= 0 else { return nil }
            minimum = lower
            if parts.count == 1 {
                maximum = lower
            } else if parts[1].isEmpty {
                maximum = nil
            } else {
                guard let upper = Int(parts[1]), upper >= lower else { return nil }
                maximum = upper
            }
        } else {
            return nil
        }
        self.low = low
        self.high = high
        self.minimum = minimum
        self.maximum = maximum
    }

    func matches(_ string: String) -> Bool {
        var count = 0
        for byte in string.utf8 {
            if byte < 64 {
                guard low & (1 << UInt64(byte)) != 0 else { return false }
            } else if byte < 128 {
                guard high & (1 << UInt64(byte - 64)) != 0 else { return false }
            } else {
                return false
            }
            count += 1
        }
        if count < minimum { return false }
        if let maximum, count > maximum { return false }
        return true
    }
}
