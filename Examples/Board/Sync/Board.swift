/// A board: its shapes, its version, the last deltas (for clients catching up) and, for every
/// field of every shape, the version and the connection that last wrote it. A value type driven
/// by its caller (``Boards`` keeps one per room behind a lock, so edits apply in server order).
///
/// Concurrent edits of one shape resolve **per field, last writer wins in server order**: an edit
/// sets the fields it names, whatever their value. When it overwrites a value written after the
/// version its author had seen (`base`), by someone else, the delta lists that writer as a loser.
public struct Board: Sendable {
    /// The board's version: the number of changes so far.
    public private(set) var version = 0
    private var shapes: [String: Shape] = [:]
    private var order: [String] = []
    private var stamps: [String: [String: (version: Int, by: String)]] = [:]
    private var log: [Delta] = []
    private var nextId = 1
    /// How many deltas are kept for catching up.
    public let keep: Int
    /// The most shapes.
    public let maxShapes: Int

    /// An empty board keeping the last `keep` deltas.
    public init(keep: Int = 200, maxShapes: Int = 200) {
        self.keep = keep
        self.maxShapes = maxShapes
    }

    /// The shapes, oldest first.
    public var snapshot: [Shape] { order.compactMap { shapes[$0] } }

    /// Adds a shape with `fields` (missing ones get defaults).
    public mutating func add(_ fields: ShapeFields, by client: String) throws(BoardError) -> Delta {
        if let problem = fields.problem { throw .invalidFields(problem) }
        guard shapes.count < maxShapes else { throw .boardFull(maxShapes) }
        let id = "s\(nextId)"
        nextId += 1
        let shape = fields.applied(to: Shape(id: id, x: 100, y: 100, w: 160, h: 100, color: "#6366f1", text: ""))
        let all = ShapeFields(x: shape.x, y: shape.y, w: shape.w, h: shape.h, color: shape.color, text: shape.text)
        shapes[id] = shape
        order.append(id)
        return record(shapeId: id, added: true, fields: all, by: client, overwrote: [])
    }

    /// Sets `fields` of shape `id`; `base` is the board version the author had seen.
    public mutating func edit(_ id: String, _ fields: ShapeFields, base: Int, by client: String) throws(BoardError) -> Delta {
        if let problem = fields.problem { throw .invalidFields(problem) }
        guard let shape = shapes[id] else { throw .noSuchShape(id) }
        var lost: [String: [String]] = [:]
        for name in fields.names {
            if let stamp = stamps[id]?[name], stamp.version > base, stamp.by != client { lost[stamp.by, default: []].append(name) }
        }
        shapes[id] = fields.applied(to: shape)
        let overwrote = lost.keys.sorted().map { Delta.Overwrite(loser: $0, fields: lost[$0]!) }
        return record(shapeId: id, added: false, fields: fields, by: client, overwrote: overwrote)
    }

    /// The deltas after `version`, or `nil` when they are no longer all kept (or `version` is
    /// from the future): the client then needs the snapshot.
    public func deltas(since version: Int) -> [Delta]? {
        guard version <= self.version else { return nil }
        if version == self.version { return [] }
        guard let first = log.first, first.version <= version + 1 else { return nil }
        return Array(log[(version + 1 - first.version)...])
    }

    private mutating func record(shapeId: String, added: Bool, fields: ShapeFields, by client: String, overwrote: [Delta.Overwrite]) -> Delta {
        version += 1
        for name in fields.names { stamps[shapeId, default: [:]][name] = (version, client) }
        let delta = Delta(version: version, shapeId: shapeId, added: added, fields: fields, by: client, overwrote: overwrote)
        log.append(delta)
        if log.count > keep { log.removeFirst(log.count - keep) }
        return delta
    }
}
