// LeakSanitizer's blind spot (docs/reliability.md, ADR 0097): a process-lifetime cache of compiled
// regular expressions, reachable from a global until exit, as WSKitValidation's CompiledPattern.
//   regex    two regexes kept in the cache: their parse trees are reported as leaked
//   drop     one regex compiled 200 times and dropped: nothing is reported
//   strings  three heap strings kept in a global array: nothing is reported
final class Compiled {
    let source: String
    let regex: Regex<AnyRegexOutput>
    init(_ source: String) {
        self.source = source
        regex = try! Regex(source)
        _ = "".contains(regex)
    }
}

nonisolated(unsafe) var cache: [String: Compiled] = [:]
nonisolated(unsafe) var strings: [String] = []

@main struct Main {
    static func main() {
        let mode = CommandLine.arguments.dropFirst().first ?? "regex"
        if mode == "regex" {
            for source in ["^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$", "^\\d{3}-\\d{4}$"] { cache[source] = Compiled(source) }
        } else if mode == "drop" {
            // Compiled and dropped: nothing survives unless Regex itself leaks.
            for _ in 0 ..< 200 { _ = Compiled("^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$") }
        } else {
            // Only large (heap) strings, reachable from a global array.
            for index in 0 ..< 3 { strings.append("a string longer than fifteen bytes, number \(index)") }
        }
        print(cache.count + strings.count)
    }
}
