import WSKitClient
import WSKitLiveFixtures
import WSKitBoard

/// An editor on WSKit's Swift client, as an app would write one: a copy of the board at a
/// version, kept by `SYNC` on every connect and by `DELTA` pushes in version order.
final class BoardEditor: Sendable {
    actor Copy {
        var you = ""
        var version: Int?
        var shapes: [String: Shape] = [:]
        var syncs: [Sync.Response] = []
        var lost: [Delta.Overwrite] = []
        var cursors: [CursorMoved.Payload] = []
        /// The server's `meta.timestamp` of each cursor, in milliseconds.
        var cursorTimes: [Double] = []
        var deltasPushed = 0

        func synced(_ reply: Sync.Response) {
            syncs.append(reply)
            you = reply.you
            if let all = reply.shapes {
                shapes = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
                version = reply.version
            } else {
                for delta in reply.deltas ?? [] { apply(delta) }
            }
        }

        func pushed(_ delta: Delta) {
            deltasPushed += 1
            apply(delta)
        }

        func apply(_ delta: Delta) {
            guard let current = version, delta.version == current + 1 else { return }
            var shape = shapes[delta.shapeId] ?? Shape(id: delta.shapeId, x: 0, y: 0, w: 0, h: 0, color: "", text: "")
            let fields = delta.fields
            if let x = fields.x { shape.x = x }
            if let y = fields.y { shape.y = y }
            if let w = fields.w { shape.w = w }
            if let h = fields.h { shape.h = h }
            if let color = fields.color { shape.color = color }
            if let text = fields.text { shape.text = text }
            shapes[delta.shapeId] = shape
            version = delta.version
            lost += delta.overwrote.filter { $0.loser == you }
        }

        func cursor(_ moved: CursorMoved.Payload, at timestamp: Double?) {
            cursors.append(moved)
            cursorTimes.append(timestamp ?? 0)
        }
        var sorted: [Shape] { shapes.values.sorted { $0.id < $1.id } }
    }

    let client: WebSocketClient
    let copy = Copy()

    init(port: Int, board: String) async throws {
        client = WebSocketClient(configuration: WebSocketClientConfiguration(url: try WebSocketURL("ws://127.0.0.1:\(port)/ws/\(board)")))
        let copy = copy
        client.on(DeltaPushed.self) { await copy.pushed($0.payload) }
        client.on(CursorMoved.self) { await copy.cursor($0.payload, at: $0.timestamp) }
        try await connect()
    }

    /// Connects and syncs from the version held.
    func connect() async throws {
        try await client.connect()
        await copy.synced(try await client.request(Sync.self, .init(since: await copy.version)))
    }

    @discardableResult
    func add(_ fields: ShapeFields) async throws -> Delta {
        let delta = try await client.request(AddShape.self, fields)
        await copy.apply(delta)
        return delta
    }

    @discardableResult
    func edit(_ id: String, _ fields: ShapeFields, base: Int? = nil) async throws -> Delta {
        let seen = await copy.version ?? 0
        let delta = try await client.request(EditShape.self, .init(shapeId: id, base: base ?? seen, fields: fields))
        await copy.apply(delta)
        return delta
    }

    /// Waits until the copy is at `version`.
    func reaches(_ version: Int) async -> Bool {
        await eventually(timeout: 10) { await copy.version == version }
    }
}
