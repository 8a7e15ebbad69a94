import Synchronization

/// The RPCs running on one connection, by correlation id.
///
/// A connection usually has a handful of calls running: they live in a small array scanned
/// linearly (comparing short strings beats hashing them, and the array's storage is reused from
/// call to call). Past ``listLimit`` concurrent calls the table switches to a dictionary for good.
final class RPCCallTable: Sendable {
    enum Insertion { case inserted, duplicate, full }

    /// The most calls kept in the array before switching to a dictionary.
    static let listLimit = 16

    private struct Calls {
        var list: [(id: String, call: RunningRPC)] = []
        var map: [String: RunningRPC]?
    }

    private let calls = Mutex(Calls())

    func insert(_ call: RunningRPC, id: String, limit: Int) -> Insertion {
        calls.withLock { calls in
            if calls.map != nil {
                if calls.map![id] != nil { return .duplicate }
                if calls.map!.count >= limit { return .full }
                calls.map![id] = call
                return .inserted
            }
            for entry in calls.list where entry.id == id { return .duplicate }
            if calls.list.count >= limit { return .full }
            if calls.list.count < Self.listLimit {
                calls.list.append((id, call))
                return .inserted
            }
            var map = [String: RunningRPC](minimumCapacity: Self.listLimit * 2)
            for entry in calls.list { map[entry.id] = entry.call }
            map[id] = call
            calls.map = map
            calls.list = []
            return .inserted
        }
    }

    func remove(_ id: String, _ call: RunningRPC) {
        calls.withLock { calls in
            if calls.map != nil {
                if calls.map![id] === call { calls.map![id] = nil }
                return
            }
            if let index = calls.list.firstIndex(where: { $0.call === call && $0.id == id }) {
                calls.list.remove(at: index)
            }
        }
    }

    func call(_ id: String) -> RunningRPC? {
        calls.withLock { calls in
            if let map = calls.map { return map[id] }
            for entry in calls.list where entry.id == id { return entry.call }
            return nil
        }
    }
}
