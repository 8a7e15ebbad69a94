import WSKit

/// The tic-tac-toe application: seats and moves are decided by ``Tables`` (the only state);
/// every change is pushed as ``StateChanged`` to the room's topic.
public enum TicTacToeRouter {
    /// Builds the router over `tables`.
    public static func make(tables: Tables) -> Router<TicTacToeSession, TicTacToePlugins> {
        let router = Router<TicTacToeSession, TicTacToePlugins>()

        router.onOpen { ctx in
            let room = ctx.room(RoomName.topic(ctx.data.room))
            try await room.join()
            // A player presenting their seat token is back in their seat, with no request.
            let (you, state) = tables.connect(
                room: ctx.data.room, clientId: ctx.clientId, token: ctx.data.seatToken, now: ctx.clock.nowMs)
            ctx.send(Welcome.self, .init(you: you, state: state))
            _ = await room.broadcast(StateChanged.self, state, options: .excludingSelf)
        }

        router.onClose { ctx in
            guard let state = tables.disconnect(room: ctx.data.room, clientId: ctx.clientId, now: ctx.clock.nowMs) else { return }
            _ = await ctx.room(RoomName.topic(ctx.data.room)).broadcast(StateChanged.self, state, options: .excludingSelf)
        }

        router.rpc(Join.self) { ctx in
            let (mark, token, state) = try tables.join(room: ctx.data.room, clientId: ctx.clientId, now: ctx.clock.nowMs)
            _ = await ctx.room(RoomName.topic(ctx.data.room)).broadcast(StateChanged.self, state, options: .excludingSelf)
            return .init(you: mark, token: token, state: state)
        }

        router.rpc(Move.self) { ctx in
            let state = try tables.move(room: ctx.data.room, clientId: ctx.clientId, cell: ctx.payload.cell)
            _ = await ctx.room(RoomName.topic(ctx.data.room)).broadcast(StateChanged.self, state, options: .excludingSelf)
            return state
        }

        router.rpc(Rematch.self) { ctx in
            let state = try tables.askRematch(room: ctx.data.room, clientId: ctx.clientId)
            _ = await ctx.room(RoomName.topic(ctx.data.room)).broadcast(StateChanged.self, state, options: .excludingSelf)
            return state
        }
        return router
    }
}
