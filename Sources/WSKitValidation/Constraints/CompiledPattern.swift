import Synchronization

/// A regular expression compiled once per source string and shared by every check.
///
/// Matching uses search semantics (like JavaScript's `RegExp.test`): the pattern may match
/// anywhere unless anchored.
final class CompiledPattern: @unchecked Sendable, Hashable {
    // `Regex` is immutable once compiled; `warmUp()` forces its lazy lowering in `init`, before
    // the instance can be shared, so concurrent matching only reads.
    let source: String
    private let regex: Regex<AnyRegexOutput>
    /// The fast matcher, when the pattern is a single anchored ASCII character class.
    private let characterClass: CharacterClassPattern?

    private static let cache = Mutex<[String: CompiledPattern]>([:])

    /// The compiled pattern for `source`, compiling it on first use.
    static func compiled(_ source: String) -> CompiledPattern {
        if let cached = cache.withLock({ $0[source] }) { return cached }
        let pattern = CompiledPattern(source)
        return cache.withLock { cache in
            if let existing = cache[source] { return existing }
            cache[source] = pattern
            return pattern
        }
    }

    private init(_ source: String) {
        self.source = source
        do {
            regex = try Regex(source)
        } catch {
            preconditionFailure("invalid pattern /\(source)/: \(error)")
        }
        characterClass = CharacterClassPattern(source)
        _ = "".contains(regex)
    }

    func matches(_ string: String) -> Bool {
        if let characterClass { return characterClass.matches(string) }
        return string.contains(regex)
    }

    /// Whether the pattern uses the fast matcher (for tests).
    var usesCharacterClassMatcher: Bool { characterClass != nil }

    /// The regular expression's answer, bypassing the fast matcher (for tests).
    func regexMatches(_ string: String) -> Bool { string.contains(regex) }

    static func == (lhs: CompiledPattern, rhs: CompiledPattern) -> Bool { lhs.source == rhs.source }
    func hash(into hasher: inout Hasher) { hasher.combine(source) }
}
