import WSKitContract
import WSKitValidation

struct Ping: Message {
    struct Payload: Codable, Sendable, Equatable { var text: String }
    static let type = "PING"
}

struct Pong: Message {
    struct Payload: Codable, Sendable, Equatable { var text: String }
    static let type = "PONG"
}

struct JoinRoom: Message {
    struct Payload: Codable, Sendable, Equatable, Validatable {
        @Length(1...20) var room: String
        init() {}
        init(room: String) { self.room = room }
    }
    static let type = "JOIN_ROOM"
}

struct Leave: Message {
    typealias Payload = Empty
    static let type = "LEAVE"
}

struct Traced: Message {
    typealias Payload = Empty
    static let type = "TRACED"
    static var extraMetaKeys: Set<String> { ["traceId"] }
}

struct Login: Message {
    struct Payload: Codable, Sendable, Equatable { var user: String }
    static let type = "LOGIN"
}

struct Notice: Message {
    struct Payload: Codable, Sendable, Equatable { var text: String }
    static let type = "NOTICE"
}

/// An RPC whose handler the test scripts.
struct GetUser: RPC {
    struct Payload: Codable, Sendable, Equatable { var id: String }
    typealias Response = UserData
    static let type = "GET_USER"
}

struct UserData: Message {
    struct Payload: Codable, Sendable, Equatable {
        var name: String
        var step: Int = 0
    }
    static let type = "USER_DATA"
}

/// An RPC that waits `ms` on the router clock before replying.
struct Work: RPC {
    struct Payload: Codable, Sendable, Equatable, Validatable {
        @InRange(0...100_000) var ms: Int = 0
        init() {}
        init(ms: Int) { self.ms = ms }
    }
    typealias Response = WorkDone
    static let type = "WORK"
}

struct WorkDone: Message {
    struct Payload: Codable, Sendable, Equatable { var ms: Int }
    static let type = "WORK_DONE"
}

struct Touch: RPC {
    typealias Payload = Empty
    typealias Response = Touched
    static let type = "TOUCH"
}

struct Touched: Message {
    typealias Payload = Empty
    static let type = "TOUCHED"
}

/// A message type that is reserved and so can never be registered.
struct Sneaky: Message {
    typealias Payload = Empty
    static let type = "$ws:sneaky"
}
