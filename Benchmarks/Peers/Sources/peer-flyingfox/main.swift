// peer-flyingfox: a FlyingFox 0.27 WebSocket echo/broadcast server.
//
// FlyingFox's WebSocket API is a `WSMessageHandler` that maps the stream of incoming messages to a
// stream of outgoing ones: echo is the library's own `EchoWSMessageHandler` (it returns the input
// stream), broadcast gives each /bcast connection an `AsyncStream` that every message received on
// /bcast is yielded to.
//
// Contract (see Benchmarks/README.md): 127.0.0.1, `--port N` or PORT; echo every text and binary
// message on any path but /bcast; on /bcast, every message goes to every /bcast connection.
// FlyingFox has no message size limit (16 MiB is accepted) and no idle timeout on an upgraded
// connection (its `timeout`, set to 60 s here, bounds only the HTTP handler producing the 101);
// logging off (`.disabled`). Outgoing messages are split into 16 KiB frames, the library default.
import FlyingFox
import FlyingSocks
import Foundation
import PeerSupport
import Synchronization

/// The connections on /bcast, each by the continuation of its outgoing message stream.
final class BroadcastGroup: Sendable {
    private let state = Mutex<(next: Int, members: [(id: Int, out: AsyncStream<WSMessage>.Continuation)])>((0, []))

    func add(_ out: AsyncStream<WSMessage>.Continuation) -> Int {
        state.withLock { s in
            s.next += 1
            s.members.append((s.next, out))
            return s.next
        }
    }

    func remove(_ id: Int) { state.withLock { $0.members.removeAll { $0.id == id } } }

    func send(_ message: WSMessage) {
        for member in state.withLock({ $0.members }) {
            member.out.yield(message)
        }
    }
}

struct BroadcastHandler: WSMessageHandler {
    let group: BroadcastGroup

    func makeMessages(for client: AsyncStream<WSMessage>) async throws -> AsyncStream<WSMessage> {
        let (messages, out) = AsyncStream<WSMessage>.makeStream()
        let id = group.add(out)
        let group = self.group
        out.onTermination = { _ in group.remove(id) }
        Task {
            for await message in client {
                switch message {
                case .text, .data: group.send(message)
                case .close: break // FlyingFox answers the close frame itself
                }
            }
            group.remove(id)
            out.finish()
        }
        return messages
    }
}

let options = PeerOptions.parse()
let server = HTTPServer(
    address: try sockaddr_in.inet(ip4: PeerOptions.host, port: UInt16(options.port)),
    timeout: 60,
    logger: .disabled
)
await server.appendRoute("GET /bcast", to: .webSocket(BroadcastHandler(group: BroadcastGroup())))
await server.appendRoute("GET *", to: .webSocket(EchoWSMessageHandler()))
try await server.run()
