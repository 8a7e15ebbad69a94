#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import WSKitContract

/// Finds the constraints a type's wrappers declare without an instance built by `init()`: the
/// type is decoded once from placeholders, and what its wrappers' attribute initialisers declared
/// meanwhile is matched to its wrapped properties.
///
/// Why this works: Swift evaluates a wrapped property's initial value — the wrapper's attribute
/// initialiser, `Length(1...2000)` — at the start of *every* initialiser of the type, the
/// synthesised or a hand-written `init(from:)` included, in declaration order, before the decoded
/// value replaces it (ADR 0011). So while the type is decoded from placeholders, each attribute
/// initialiser reports its constraints here (``declare(_:)``) in declaration order, and the
/// decoded instance's `Mirror` lists the wrapped properties in the same order: the i-th
/// declaration belongs to the i-th wrapped property. Nested types decoded meanwhile get frames of
/// their own. If the counts differ (a property whose *initial value* is a type with wrappers of
/// its own declares them too), nothing is guessed: the type gets no table and its wrappers are
/// reported at run time — such a type conforms to ``Validatable``.
///
/// Constraints are keyed by property name, as for ``Validatable`` types: a wrapped property whose
/// key `CodingKeys` renames is reported at run time.
///
/// Captures run once per type, on the thread that first decodes it; other threads keep decoding
/// meanwhile, so declarations are taken only from the capturing thread. Outside a capture, a
/// declaration costs one relaxed atomic load.
@usableFromInline
enum ConstraintCapture {
    /// What the wrappers of one type being decoded from placeholders declared.
    struct Frame {
        var declared: [[Constraint]] = []
    }

    /// The captures of one thread: a stack of frames (the innermost type on top) and the types
    /// being captured (a type nested in itself is not captured again).
    struct Session {
        var thread: UInt
        var frames: [Frame] = []
        var types: [ObjectIdentifier] = []
    }

    /// How many threads are capturing now.
    @usableFromInline static let active = Atomic<Int>(0)
    private static let sessions = Mutex<[Session]>([])

    /// Whether any thread is capturing: wrapper attribute initialisers check this before
    /// computing what they declare (one relaxed load; no closure, no allocation).
    /// Inlinable (with ``active``) so that the wrappers' initialisers stay small enough for
    /// cross-module optimisation to specialise them in the app's module: an opaque call here
    /// made every decode of a wrapped property a generic, unspecialised call (+20 % instructions
    /// in `envelope.decode_validate`).
    @inlinable
    static var isActive: Bool { active.load(ordering: .relaxed) != 0 }

    // What wrapper attribute initialisers declare, when ``isActive``. Non-generic and out of line,
    // with the attribute's plain values: a generic call (`declaredConstraints` of `Length<Value>`)
    // would make every initialiser fetch its type's metadata, on every decode.

    /// `@Length`.
    @usableFromInline @inline(never)
    static func declare(length: Bounds<Int>, pattern: String?) {
        declare([.length(length)] + (pattern.map { [.pattern($0)] } ?? []))
    }

    /// `@InRange`.
    @usableFromInline @inline(never)
    static func declare(range: Bounds<Double>) { declare([.range(range)]) }

    /// `@Pattern`.
    @usableFromInline @inline(never)
    static func declare(pattern: String) { declare([.pattern(pattern)]) }

    /// `@OneOf` with string options.
    @usableFromInline @inline(never)
    static func declare(oneOf options: [String]) { declare([.oneOf(options)]) }

    /// `@OneOf` with JSON options.
    @usableFromInline @inline(never)
    static func declare(oneOf options: [JSONValue]) { declare([.oneOf(options)]) }

    /// `@Count`.
    @usableFromInline @inline(never)
    static func declare(count: Bounds<Int>) { declare([.count(count)]) }

    private static func declare(_ constraints: [Constraint]) {
        record { $0.declared.append(constraints) }
    }

    /// Runs `body` (a nested type's placeholder decoding) in a frame of its own, discarded after.
    static func nested<T>(_ body: () throws -> T) rethrows -> T {
        guard active.load(ordering: .relaxed) != 0, withSession({ $0.frames.append(Frame()) }) != nil else {
            return try body()
        }
        defer { _ = withSession { _ = $0.frames.popLast() } }
        return try body()
    }

    /// Whether `type` is being captured on this thread (its facts must not be computed again).
    static func isCapturing(_ type: Any.Type) -> Bool {
        guard active.load(ordering: .relaxed) != 0 else { return false }
        return withSession { $0.types.contains(ObjectIdentifier(type)) } ?? false
    }

    /// The constraints of `T`'s wrapped properties, found by decoding it from placeholders; `nil`
    /// when it declares none, or when they cannot be matched to its properties.
    static func table<T: Decodable>(of type: T.Type, state: DecodingState) -> ConstraintTable? {
        begin(type)
        let instance: T
        let frame: Frame
        do {
            instance = try T(from: PayloadDecoder(value: .null, parent: nil, component: nil, state: state, isPlaceholder: true))
            frame = end()
        } catch {
            _ = end()
            return nil
        }
        guard !frame.declared.isEmpty else { return nil }
        var names: [String] = []
        for child in Mirror(reflecting: instance).children {
            guard let label = child.label, child.value is any ConstraintCarrier else { continue }
            names.append(label.hasPrefix("_") ? String(label.dropFirst()) : label)
        }
        guard names.count == frame.declared.count else { return nil }
        return ConstraintTable(entries: zip(names, frame.declared).map { (key: $0.0, constraints: $0.1) })
    }

    private static func begin(_ type: Any.Type) {
        let me = currentThread()
        sessions.withLock { sessions in
            if let index = sessions.firstIndex(where: { $0.thread == me }) {
                sessions[index].frames.append(Frame())
                sessions[index].types.append(ObjectIdentifier(type))
            } else {
                sessions.append(Session(thread: me, frames: [Frame()], types: [ObjectIdentifier(type)]))
                active.add(1, ordering: .relaxed)
            }
        }
    }

    private static func end() -> Frame {
        let me = currentThread()
        return sessions.withLock { sessions in
            guard let index = sessions.firstIndex(where: { $0.thread == me }) else { return Frame() }
            let frame = sessions[index].frames.popLast() ?? Frame()
            _ = sessions[index].types.popLast()
            if sessions[index].frames.isEmpty {
                sessions.remove(at: index)
                active.subtract(1, ordering: .relaxed)
            }
            return frame
        }
    }

    private static func record(_ update: (inout Frame) -> Void) {
        _ = withSession { session in
            guard !session.frames.isEmpty else { return }
            update(&session.frames[session.frames.count - 1])
        }
    }

    /// Runs `body` on this thread's session, if it is capturing.
    private static func withSession<R>(_ body: (inout Session) -> R) -> R? {
        let me = currentThread()
        return sessions.withLock { sessions in
            guard let index = sessions.firstIndex(where: { $0.thread == me }) else { return nil }
            return body(&sessions[index])
        }
    }

    /// The calling thread's identity (unique among live threads).
    private static func currentThread() -> UInt {
        #if canImport(Darwin)
        UInt(bitPattern: pthread_self())
        #else
        UInt(pthread_self())
        #endif
    }
}
