// LeakSanitizer's blind spot (docs/reliability.md, ADR 0097): objects reachable from a global only
// through a multi-payload enum case whose tag lives in the reference's spare bits.
//   first   three objects as `.first(Object)` (tag 0: the pointer is stored as is)
//   tagged  three objects as `.tagged(Object)` (tag bits set in the pointer): reported as leaked
//   plain   three objects in `[Object]`
final class Object { let bytes = [UInt8](repeating: 1, count: 100) }
enum Kind { case first(Object), list([Int]), tagged(Object) }

nonisolated(unsafe) var kinds: [Kind] = []
nonisolated(unsafe) var plain: [Object] = []

@main struct Main {
    static func main() {
        switch CommandLine.arguments.dropFirst().first ?? "tagged" {
        case "first": for _ in 0 ..< 3 { kinds.append(.first(Object())) }
        case "plain": for _ in 0 ..< 3 { plain.append(Object()) }
        default: for _ in 0 ..< 3 { kinds.append(.tagged(Object())) }
        }
        print(kinds.count + plain.count)
    }
}
