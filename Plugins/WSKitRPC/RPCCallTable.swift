import Synchronization

/// The RPCs running on one connection, by correlation id.
final class RPCCallTable: Sendable {
    enum Insertion { case inserted, duplicate, full }

    private let calls = Mutex<[String: RPCCall]>([:])

    func insert(_ call: RPCCall, id: String, limit: Int) -> Insertion {
        calls.withLock { calls in
            if calls[id] != nil { return .duplicate }
            if calls.count >= limit { return .full }
            calls[id] = call
            return .inserted
        }
    }

    func remove(_ id: String, _ call: RPCCall) {
        calls.withLock { calls in
            if calls[id] === call { calls[id] = nil }
        }
    }

    func call(_ id: String) -> RPCCall? {
        calls.withLock { $0[id] }
    }
}
