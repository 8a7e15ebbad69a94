import WSKit
import WSKitMessaging
import WSKitRPC
import WSKitValidation

/// The chat application: the router with the protocol's handlers and the lifecycle hooks that
/// keep presence. Rooms and history are injected, so the same router serves one process or many.
public enum ChatRouter {
    /// Builds the router.
    ///
    /// - Parameters:
    ///   - store: where history lives.
    ///   - rooms: presence and room-wide pushes.
    ///   - rateLimit: the per-connection message limit.
    public static func make(
        store: HistoryStore, rooms: any ChatRooms, rateLimit: MessageRateLimit
    ) -> Router<ChatSession, DemoPlugins> {
        let router = Router<ChatSession, DemoPlugins>()
        router.use(rateLimit.middleware())

        router.onOpen { ctx in
            let member = RoomMember(userId: ctx.clientId, displayName: ctx.data.displayName)
            await rooms.join(room: ctx.data.room, member: member, connection: ctx.connection)
            await rooms.publish(UserJoined.self, member, room: ctx.data.room, excluding: member.userId)
        }

        router.onClose { ctx in
            let member = RoomMember(userId: ctx.clientId, displayName: ctx.data.displayName)
            rateLimit.forget(ctx.clientId)
            await rooms.leave(room: ctx.data.room, member: member)
            await rooms.publish(UserLeft.self, member, room: ctx.data.room, excluding: member.userId)
        }

        router.rpc(ListHistory.self) { ctx in
            let limit = ctx.payload.limit ?? ListHistory.defaultLimit
            do {
                ctx.reply(.init(messages: try store.list(room: ctx.data.room, limit: limit)))
            } catch {
                ctx.error(.unavailable, "The history store is unavailable: \(error)")
            }
        }

        router.rpc(ListPresence.self) { ctx in
            do {
                let users = try await rooms.members(of: ctx.data.room).sorted(by: byName)
                ctx.reply(.init(selfUserId: ctx.clientId, users: users))
            } catch {
                ctx.error(.unavailable, "Presence is unavailable: \(error)")
            }
        }

        router.rpc(SendMessage.self) { ctx in
            let row = ChatRow(
                id: UUIDv7.make(), ts: ctx.clock.nowMs, userId: ctx.clientId,
                displayName: ctx.data.displayName, text: ctx.payload.text)
            do {
                try store.append(row, room: ctx.data.room)
            } catch {
                ctx.error(.unavailable, "The history store is unavailable: \(error)")
                return
            }
            await rooms.publish(RoomMessage.self, row, room: ctx.data.room)
            ctx.reply(.init(id: row.id))
        }

        router.rpc(ClearHistory.self) { ctx in
            do {
                try store.clear(room: ctx.data.room)
            } catch {
                ctx.error(.unavailable, "The history store is unavailable: \(error)")
                return
            }
            ctx.reply(NoArguments())
            let cleared = HistoryCleared.Payload(
                ts: ctx.clock.nowMs, clearedByUserId: ctx.clientId, clearedByDisplayName: ctx.data.displayName)
            await rooms.publish(HistoryCleared.self, cleared, room: ctx.data.room)
        }
        return router
    }

    /// Presence order: display name (case-insensitive), then id.
    static func byName(_ a: RoomMember, _ b: RoomMember) -> Bool {
        let (x, y) = (a.displayName.lowercased(), b.displayName.lowercased())
        return x != y ? x < y : a.userId < b.userId
    }
}
