import WSKit

/// The board application: edits apply to ``Boards`` (server order, versions) and go to everyone
/// else as `DELTA`; cursors are throttled per user and sent apart from edits.
public enum BoardRouter {
    /// Builds the router.
    public static func make(boards: Boards, cursors: Cursors) -> Router<BoardSession, BoardPlugins> {
        let router = Router<BoardSession, BoardPlugins>()

        router.onOpen { ctx in
            try await ctx.room(BoardRoomName.topic(ctx.data.room)).join()
        }

        router.onClose { ctx in
            cursors.remove(ctx.clientId)
            _ = await ctx.room(BoardRoomName.topic(ctx.data.room)).broadcast(
                CursorMoved.self, .init(user: ctx.clientId), options: .excludingSelf)
        }

        router.rpc(Sync.self) { ctx in
            let since = ctx.payload.since
            return boards.with(ctx.data.room) { board in
                if let since, let deltas = board.deltas(since: since) {
                    return .init(you: ctx.clientId, version: board.version, deltas: deltas)
                }
                return .init(you: ctx.clientId, version: board.version, shapes: board.snapshot)
            }
        }

        router.rpc(AddShape.self) { ctx in
            let delta = try boards.with(ctx.data.room) { board throws(BoardError) in try board.add(ctx.payload, by: ctx.clientId) }
            _ = await ctx.room(BoardRoomName.topic(ctx.data.room)).broadcast(DeltaPushed.self, delta, options: .excludingSelf)
            return delta
        }

        router.rpc(EditShape.self) { ctx in
            let edit = ctx.payload
            let delta = try boards.with(ctx.data.room) { board throws(BoardError) in
                try board.edit(edit.shapeId, edit.fields, base: edit.base, by: ctx.clientId)
            }
            _ = await ctx.room(BoardRoomName.topic(ctx.data.room)).broadcast(DeltaPushed.self, delta, options: .excludingSelf)
            return delta
        }

        router.on(MoveCursor.self) { ctx in
            let room = ctx.room(BoardRoomName.topic(ctx.data.room))
            let client = ctx.clientId
            switch cursors.offer(ctx.payload, from: client, now: ctx.clock.nowMs) {
            case .sendNow:
                _ = await room.broadcast(CursorMoved.self, .init(user: client, x: ctx.payload.x, y: ctx.payload.y), options: .excludingSelf)
            case .flushLater(let afterMs):
                let clock = ctx.clock
                _ = clock.schedule(after: .milliseconds(afterMs)) {
                    guard let cursor = cursors.flush(client, now: clock.nowMs) else { return }
                    Task { _ = await room.broadcast(CursorMoved.self, .init(user: client, x: cursor.x, y: cursor.y), options: .excludingSelf) }
                }
            case .coalesced:
                break
            }
        }
        return router
    }
}
