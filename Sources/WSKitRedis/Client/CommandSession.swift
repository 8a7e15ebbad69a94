/// The command connection's session: replies are matched to commands strictly in order.
///
/// A command that times out or is cancelled keeps its place in the queue (`discarded`), so that
/// its reply, when it comes, is dropped instead of being handed to the next command.
struct CommandSession: RedisSession {
    typealias ReplyContinuation = RedisEffects.ReplyContinuation

    enum Slot: Sendable {
        case single(ReplyContinuation)
        case batch(PipelineBatch, Int)
        case discarded
    }

    struct Entry: Sendable {
        var id: UInt64
        var slot: Slot
        /// Monotonic ns; 0 when the command has no timeout.
        var deadline: UInt64
    }

    private(set) var queue = RedisFIFO<Entry>()
    /// No live entry has a deadline before this (it may be earlier than the true minimum).
    private(set) var nextDeadline: UInt64?

    /// Queues a command whose bytes the caller has just appended to the output.
    mutating func enqueue(id: UInt64, slot: Slot, deadline: UInt64) {
        queue.append(Entry(id: id, slot: slot, deadline: deadline))
        if deadline != 0, nextDeadline.map({ deadline < $0 }) ?? true { nextDeadline = deadline }
    }

    /// Fails every queued command of call `id` with `.cancelled`.
    mutating func cancel(id: UInt64, effects: inout RedisEffects) {
        for index in queue.indices where queue[index].id == id {
            complete(&queue[index].slot, .failure(.cancelled), &effects)
        }
    }

    func connectionReady(output: inout [UInt8], effects: inout RedisEffects) {
        effects.announceConnected = true
    }

    mutating func receive(_ value: RedisValue, effects: inout RedisEffects) {
        // RESP3 push data (invalidations, stray pub/sub) is out of band: never a reply.
        if case .push = value { return }
        guard var entry = queue.popFirst() else {
            effects.disconnect = .unexpectedReply("a reply with no command pending")
            return
        }
        let result: Result<RedisValue, RedisError> = if case let .error(message) = value {
            .failure(.server(RedisServerError(message: message)))
        } else {
            .success(value)
        }
        complete(&entry.slot, result, &effects)
    }

    mutating func connectionLost(_ error: RedisError, effects: inout RedisEffects) {
        while var entry = queue.popFirst() {
            complete(&entry.slot, .failure(error), &effects)
        }
        nextDeadline = nil
    }

    mutating func expire(now: UInt64, effects: inout RedisEffects) {
        guard let due = nextDeadline, due <= now else { return }
        var earliest: UInt64?
        for index in queue.indices {
            let deadline = queue[index].deadline
            guard deadline != 0 else { continue }
            if case .discarded = queue[index].slot { continue }
            if deadline <= now {
                complete(&queue[index].slot, .failure(.timeout), &effects)
            } else if earliest.map({ deadline < $0 }) ?? true {
                earliest = deadline
            }
        }
        nextDeadline = earliest
    }

    private func complete(_ slot: inout Slot, _ result: Result<RedisValue, RedisError>, _ effects: inout RedisEffects) {
        switch slot {
        case let .single(continuation):
            effects.replies.append((continuation, result))
        case let .batch(batch, index):
            if let results = batch.record(result, at: index) {
                let continuation = batch.continuation
                effects.actions.append { continuation.resume(returning: .success(results)) }
            }
        case .discarded:
            return
        }
        slot = .discarded
    }
}

/// The outcomes of one `pipeline` call, filled in as replies arrive. Only touched under the
/// driver's lock.
final class PipelineBatch: @unchecked Sendable {
    typealias Continuation = CheckedContinuation<Result<[Result<RedisValue, RedisError>], RedisError>, Never>

    let continuation: Continuation
    private var results: [Result<RedisValue, RedisError>]
    private var remaining: Int

    init(count: Int, continuation: Continuation) {
        self.continuation = continuation
        results = Array(repeating: .failure(.notConnected), count: count)
        remaining = count
    }

    /// Records one outcome; returns all of them once the last one is in.
    func record(_ result: Result<RedisValue, RedisError>, at index: Int) -> [Result<RedisValue, RedisError>]? {
        results[index] = result
        remaining -= 1
        return remaining == 0 ? results : nil
    }
}
