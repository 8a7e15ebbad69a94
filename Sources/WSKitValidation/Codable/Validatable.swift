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

/// Constraints of one type, by key.
typealias ConstraintTable = [String: [Constraint]]

/// Implemented by the constraint property wrappers so the prototype's constraints can be read.
protocol ConstraintCarrier {
    var declaredConstraints: [Constraint] { get }
}

/// The per-type cache of constraint tables read from ``Validatable`` prototypes.
enum ConstraintTables {
    private static let cache = Mutex<[ObjectIdentifier: ConstraintTable]>([:])

    /// The constraints of `type`, or `nil` when it is not ``Validatable``.
    static func table<T>(for type: T.Type) -> ConstraintTable? {
        guard let validatable = type as? any Validatable.Type else { return nil }
        let id = ObjectIdentifier(type)
        if let table = cache.withLock({ $0[id] }) { return table }
        let table = build(validatable)
        cache.withLock { $0[id] = table }
        return table
    }

    private static func build<V: Validatable>(_ type: V.Type) -> ConstraintTable {
        var table: ConstraintTable = [:]
        for child in Mirror(reflecting: V()).children {
            guard let label = child.label, let carrier = child.value as? any ConstraintCarrier else { continue }
            let name = label.hasPrefix("_") ? String(label.dropFirst()) : label
            table[name] = carrier.declaredConstraints
        }
        return table
    }
}
