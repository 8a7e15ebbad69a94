/// A regular expression compiled once and shared by every check.
///
/// Matching uses search semantics (like JavaScript's `RegExp.test`): the pattern may match
/// anywhere unless anchored.
final class CompiledPattern: @unchecked Sendable, Hashable {
    // `Regex` is immutable once compiled; `warmUp()` forces its lazy lowering in `init`, before
    // the instance can be shared, so concurrent matching only reads.
    let source: String
    private let regex: Regex<AnyRegexOutput>

    init(_ source: String) {
        self.source = source
        do {
            regex = try Regex(source)
        } catch {
            preconditionFailure("invalid pattern /\(source)/: \(error)")
        }
        _ = "".contains(regex)
    }

    func matches(_ string: String) -> Bool { string.contains(regex) }

    static func == (lhs: CompiledPattern, rhs: CompiledPattern) -> Bool { lhs.source == rhs.source }
    func hash(into hasher: inout Hasher) { hasher.combine(source) }
}
