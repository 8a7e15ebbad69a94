import WSKit

/// RPC: open a poll. Answered `CREATE_POLL_RESPONSE {pollId}`.
public struct CreatePoll: RPC {
    public struct Payload: Codable, Sendable {
        @Length(1...200) public var question = ""
        @Count(2...10) public var options: [String] = []
        public init(question: String, options: [String]) {
            self.question = question
            self.options = options
        }
    }
    public struct Response: Codable, Sendable, Equatable { public var pollId: String }
    public static let type = "CREATE_POLL"
}

/// RPC: vote for option `option` of a poll. Answered with the poll's counts.
public struct Vote: RPC {
    public struct Payload: Codable, Sendable {
        public var pollId: String
        @InRange(0...9) public var option = 0
        public init(pollId: String, option: Int) {
            self.pollId = pollId
            self.option = option
        }
    }
    public typealias Response = Tally
    public static let type = "VOTE"
}

/// RPC: recount a poll, one option at a time, with a progress update after each.
public struct Recount: RPC {
    public struct Payload: Codable, Sendable {
        public var pollId: String
        public init(pollId: String) { self.pollId = pollId }
    }
    public typealias Response = Tally
    public static let type = "RECOUNT"
}

/// The counts of a poll: the reply of `VOTE` and `RECOUNT`, and the payload of `POLL_UPDATED`.
public struct Tally: Codable, Sendable, Equatable {
    public var pollId: String
    public var counts: [Int]
    public init(pollId: String, counts: [Int]) {
        self.pollId = pollId
        self.counts = counts
    }
}

/// Message: follow a poll's updates (`POLL_UPDATED` pushes).
public struct Watch: Message {
    public struct Payload: Codable, Sendable {
        public var pollId: String
        public init(pollId: String) { self.pollId = pollId }
    }
    public static let type = "WATCH"
}

/// Push: a poll's counts changed.
public struct PollUpdated: Message {
    public typealias Payload = Tally
    public static let type = "POLL_UPDATED"
}
