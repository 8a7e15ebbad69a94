import Synchronization
import WSKit

/// The polls, in memory.
public final class PollStore: Sendable {
    private let polls = Mutex<[String: [Int]]>([:])

    public init() {}

    /// Opens a poll with `options` options, all at 0 votes; returns its id.
    public func create(options: Int) -> String {
        let id = UUIDv7.make()
        polls.withLock { $0[id] = Array(repeating: 0, count: options) }
        return id
    }

    /// Adds a vote; returns the new counts.
    public func vote(_ pollId: String, option: Int) throws(PollError) -> [Int] {
        try polls.withLock { polls throws(PollError) -> [Int] in
            guard var counts = polls[pollId] else { throw .noSuchPoll(pollId) }
            guard counts.indices.contains(option) else { throw .noSuchOption(option) }
            counts[option] += 1
            polls[pollId] = counts
            return counts
        }
    }

    /// The current counts.
    public func counts(_ pollId: String) throws(PollError) -> [Int] {
        guard let counts = polls.withLock({ $0[pollId] }) else { throw .noSuchPoll(pollId) }
        return counts
    }
}
