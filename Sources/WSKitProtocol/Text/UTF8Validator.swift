/// An incremental UTF-8 validator (RFC 3629, as required for text messages by RFC 6455 §8.1).
///
/// Feed a message chunk by chunk with `validate(_:)`; a sequence split across chunks (or frames) is
/// carried over. It fails at the first byte after which no continuation could be valid — an
/// overlong form, a surrogate, a code point above U+10FFFF, a stray continuation byte — even when
/// the rest of the sequence has not arrived yet. At the end of the message, `isComplete` tells
/// whether the input stopped on a code point boundary.
///
/// ASCII runs are checked 16 or 8 bytes at a time; other bytes go through a table-driven DFA
/// (a "shift DFA": each table entry packs the next state for every current state).
public struct UTF8Validator: Sendable, Hashable {
    /// The DFA state, stored as the bit offset of its row in a table entry.
    @usableFromInline var state: UInt64

    /// Creates a validator at a code point boundary.
    @inlinable public init() { state = UTF8Validator.accept }

    /// Whether the bytes so far end on a code point boundary without an error: the check to make
    /// at the end of a message.
    @inlinable public var isComplete: Bool { state == UTF8Validator.accept }

    /// Whether an invalid byte has been seen; once failed, a validator stays failed until `reset()`.
    @inlinable public var hasFailed: Bool { state == UTF8Validator.reject }

    /// Starts over, for the next message.
    @inlinable public mutating func reset() { state = UTF8Validator.accept }

    /// Validates the next chunk of a message.
    ///
    /// - Returns: `false` as soon as the bytes so far cannot be a prefix of valid UTF-8 (including
    ///   when the validator had already failed); `true` otherwise, even if the chunk ends inside a
    ///   multi-byte sequence.
    @inlinable
    public mutating func validate(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var s = state
        guard s != UTF8Validator.reject else { return false }
        guard let start = bytes.baseAddress, bytes.count > 0 else { return true }
        let count = bytes.count
        let highBits: UInt64 = 0x8080_8080_8080_8080
        s = UTF8Validator.transitions.withUnsafeBufferPointer { table -> UInt64 in
            var s = s
            var i = 0
            while i < count {
                if s == UTF8Validator.accept {
                    // ASCII fast path: skip whole words with no high bit set, then jump straight
                    // to the first non-ASCII byte of the word that has one.
                    while count &- i >= 16 {
                        let a = start.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                        let b = start.loadUnaligned(fromByteOffset: i &+ 8, as: UInt64.self)
                        if (a | b) & highBits != 0 { break }
                        i &+= 16
                    }
                    while count &- i >= 8 {
                        let word = UInt64(littleEndian: start.loadUnaligned(fromByteOffset: i, as: UInt64.self)) & highBits
                        if word != 0 {
                            i &+= word.trailingZeroBitCount &>> 3
                            break
                        }
                        i &+= 8
                    }
                    if i == count { break }
                }
                let byte = start.load(fromByteOffset: i, as: UInt8.self)
                s = (table[Int(byte)] &>> s) & 63
                if s == UTF8Validator.reject { break }
                i &+= 1
            }
            return s
        }
        state = s
        return s != UTF8Validator.reject
    }

    /// Whether `bytes` is, on its own, complete and valid UTF-8.
    @inlinable
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var validator = UTF8Validator()
        return validator.validate(bytes) && validator.isComplete
    }

    // MARK: The DFA

    /// State offsets: state `n` is stored as `6 * n`.
    @usableFromInline static let accept: UInt64 = 0
    @usableFromInline static let reject: UInt64 = 6

    /// For each byte, the next state of every state, packed 6 bits per state.
    @usableFromInline static let transitions: [UInt64] = makeTransitions()

    /// Builds the table from the well-formed byte sequences of Unicode Table 3-7.
    ///
    /// States: 0 accept, 1 reject, 2 one continuation byte left, 3 two left, 4 after E0 (next A0–BF),
    /// 5 after ED (next 80–9F), 6 three left, 7 after F0 (next 90–BF), 8 after F4 (next 80–8F).
    static func makeTransitions() -> [UInt64] {
        func next(_ state: Int, _ byte: Int) -> Int {
            switch state {
            case 0:
                switch byte {
                case 0x00...0x7F: return 0
                case 0xC2...0xDF: return 2
                case 0xE0: return 4
                case 0xE1...0xEC, 0xEE...0xEF: return 3
                case 0xED: return 5
                case 0xF0: return 7
                case 0xF1...0xF3: return 6
                case 0xF4: return 8
                default: return 1
                }
            case 2: return (0x80...0xBF).contains(byte) ? 0 : 1
            case 3: return (0x80...0xBF).contains(byte) ? 2 : 1
            case 4: return (0xA0...0xBF).contains(byte) ? 2 : 1
            case 5: return (0x80...0x9F).contains(byte) ? 2 : 1
            case 6: return (0x80...0xBF).contains(byte) ? 3 : 1
            case 7: return (0x90...0xBF).contains(byte) ? 3 : 1
            case 8: return (0x80...0x8F).contains(byte) ? 3 : 1
            default: return 1
            }
        }
        return (0 ..< 256).map { byte in
            (0 ..< 9).reduce(UInt64(0)) { row, state in
                row | (UInt64(next(state, byte) * 6) << UInt64(state * 6))
            }
        }
    }
}
