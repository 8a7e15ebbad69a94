import WSKitContract
import WSKitValidation

/// The contract of a router hosted on a real server, compiled by both ends: the typed client
/// (WSKitClientTests) and raw-socket clients (WSKitTests).
public enum Routed {
    /// Client → server: answered with `Said` carrying the connection's name.
    public struct Say: Message {
        public struct Payload: Codable, Sendable, Equatable {
            public var text: String
            public init(text: String) { self.text = text }
        }
        public static let type = "SAY"
    }

    public struct Said: Message {
        public struct Payload: Codable, Sendable, Equatable {
            public var text: String
            public var name: String
            public init(text: String, name: String) {
                self.text = text
                self.name = name
            }
        }
        public static let type = "SAID"
    }

    /// Streams `from, from - 1, …, 1` as progress, then replies `0`.
    public struct Countdown: RPC {
        public struct Payload: Codable, Sendable {
            @InRange(1...5) public var from: Int = 1
            public init(from: Int) { self.from = from }
        }
        public typealias Response = Tick.Payload
        public static let responseType = Tick.type
        public static let type = "COUNTDOWN"
    }

    public struct Tick: Message {
        public struct Payload: Codable, Sendable, Equatable {
            public var n: Int
            public init(n: Int) { self.n = n }
        }
        public static let type = "TICK"
    }

    /// Never answered: the handler sleeps until it is cancelled.
    public struct Wait: RPC {
        public typealias Payload = Empty
        public typealias Response = Tick.Payload
        public static let responseType = Tick.type
        public static let type = "WAIT"
    }

    /// Not registered on the server.
    public struct Missing: RPC {
        public typealias Payload = Empty
        public typealias Response = Tick.Payload
        public static let responseType = Tick.type
        public static let type = "MISSING"
    }
}
