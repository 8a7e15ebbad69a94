import WSKitContract
import WSKitValidation

/// The typed messages the router benchmarks and the RPC benchmark servers use.
///
/// `CHAT` is a typical 5-field payload with constraints (the contract benchmarks' too);
/// `BENCH_ECHO` is the RPC the load generator calls (`wskit-bench load echo --envelope`).
public struct ChatMessage: Message {
    /// Text, room and three optional settings, each constrained.
    public struct Payload: Codable, Sendable, Validatable {
        @Length(1...2000) public var text: String = ""
        @Pattern("^[a-z0-9-]+$") public var roomId: String = ""
        @InRange(1...500) public var limit: Int? = nil
        @InRange(0.0...1.0) public var ratio: Double = 0
        public var urgent: Bool = false
        /// An empty payload (the validator reads its wrappers' constraints).
        public init() {}
    }
    public static let type = "CHAT"
}

/// The acknowledgement a `CHAT` handler sends back.
public struct ChatAck: Message {
    /// The room and the length of the text acknowledged.
    public struct Payload: Codable, Sendable {
        public var roomId: String
        public var length: Int
        /// An acknowledgement of `length` UTF-8 bytes in `roomId`.
        public init(roomId: String, length: Int) {
            self.roomId = roomId
            self.length = length
        }
    }
    public static let type = "CHAT_ACK"
}

/// The benchmark RPC: replies with the text it got.
public struct BenchEcho: RPC {
    /// The text to echo.
    public struct Payload: Codable, Sendable {
        public var text: String
        /// A request (or reply) carrying `text`.
        public init(text: String) { self.text = text }
    }
    public typealias Response = BenchEchoReply.Payload
    public static let responseType = BenchEchoReply.type
    public static let type = "BENCH_ECHO"
}

/// The reply to `BENCH_ECHO`.
public struct BenchEchoReply: Message {
    public typealias Payload = BenchEcho.Payload
    public static let type = "BENCH_ECHO_REPLY"
}
