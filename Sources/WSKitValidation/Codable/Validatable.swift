import Synchronization
import WSKitContract

/// A `Codable` payload type whose properties declare constraints with property wrappers
/// (``Length``, ``InRange``, ``Pattern``, ``OneOf``, ``Count``).
///
/// ```swift
/// struct SendText: Codable, Sendable, Validatable {
///     @Length(1...2000) var text: String
///     @InRange(1...500) var limit: Int?
///     var roomId: String = ""
/// }
/// ```
///
/// Why `init()`: Swift evaluates a wrapper's arguments (`1...2000`) only in the type's own
/// initialisers, never in `init(from:)`, so a decoded value cannot know its constraints. The
/// validator therefore builds one default instance per type, reads the constraints off its
/// wrappers (once, cached), and checks them against each key's wire value while decoding. Every
/// wrapper has an argument-only initialiser, so a type whose other properties have defaults gets
/// `init()` for free.
///
/// Constraints are looked up by property name, which is the key name unless `CodingKeys` renames
/// it; a wrapper whose constraints cannot be found is reported as an issue rather than silently
/// skipped.
public protocol Validatable: Decodable {
    /// A default instance, read once for its wrappers' constraints.
    init()
}

/// Constraints of one type, by key, in declaration order. Looked up by a linear scan: payload
/// types have few constrained keys, and comparing short strings beats hashing them.
struct ConstraintTable: Sendable {
    let entries: [(key: String, constraints: [Constraint])]

    func constraints(for key: String) -> [Constraint]? {
        for entry in entries where entry.key == key { return entry.constraints }
        return nil
    }

    /// Checks the constraints of `key` against its wire value; a constraint wrapper decoded under
    /// a key with no entry means the key is renamed in `CodingKeys`, which is reported.
    func check(_ key: String, _ value: JSONValue, wrapper: Bool, decoder: PayloadDecoder) {
        guard let constraints = constraints(for: key) else {
            if wrapper {
                decoder.record(Issues.custom(decoder.path(appending: .key(key)),
                                             "constraints of \"\(key)\" not found: is the key renamed in CodingKeys?"))
            }
            return
        }
        if case .null = value { return }
        var issues: [ValidationIssue] = []
        for constraint in constraints {
            constraint.check(value, at: decoder.path(appending: .key(key)), into: &issues)
        }
        for issue in issues { decoder.record(issue) }
    }
}

/// Implemented by the constraint property wrappers so the prototype's constraints can be read.
protocol ConstraintCarrier {
    var declaredConstraints: [Constraint] { get }
}
