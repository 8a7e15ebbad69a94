import Synchronization
import WSKitContract

/// A `Codable` payload type that hands the validator a default instance to read its wrappers'
/// constraints from (``Length``, ``InRange``, ``Pattern``, ``OneOf``, ``Count``).
///
/// **Most types do not need it**: a plain `Codable` type's constraints are found by decoding it
/// once from placeholders (see `ConstraintCapture`), so
///
/// ```swift
/// struct SendText: Codable, Sendable {
///     @Length(1...2000) var text: String = ""
///     @InRange(1...500) var limit: Int? = nil
/// }
/// ```
/// is checked as written and keeps its memberwise initialiser (an initial value on a wrapped
/// property keeps the parameter's type plain: `text: String`, not `Length<String>`).
///
/// Conform to `Validatable` only for a type whose wrappers cannot be matched that way — one with
/// a stored property whose *initial value* is a type with wrappers of its own (the validator says
/// so, naming this protocol). It needs `init()`: Swift evaluates a wrapper's arguments only in the
/// type's own initialisers, so the validator builds one default instance per type and reads the
/// constraints off its wrappers (once, cached). Every wrapper has an argument-only initialiser, so
/// a type whose other properties have defaults gets `init()` for free.
///
/// Either way, constraints are looked up by property name, which is the key name unless
/// `CodingKeys` renames it; a wrapper whose constraints cannot be found is reported as an issue
/// rather than silently skipped.
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
