import WSKitContract
import WSKitValidation

// The test messages (WSKitTestMessages) shared by the router, validation, client and hosting tests: one definition of
// each message and RPC, so a test target never declares its own copy of the same wire type.
// Payloads are Codable and validated by WSKitValidation; tests that must not depend on
// WSKitValidation (WSKitContractTests) keep their own hand-validated types.

public struct Ping: Message {
    public struct Payload: Codable, Sendable, Equatable {
        public var text: String
        public init(text: String) { self.text = text }
    }
    public static let type = "PING"
}

public struct Pong: Message {
    public struct Payload: Codable, Sendable, Equatable {
        public var text: String
        public init(text: String) { self.text = text }
    }
    public static let type = "PONG"
}

public struct JoinRoom: Message {
    public struct Payload: Codable, Sendable, Equatable {
        @Length(1...20) public var room: String = ""
        public init(room: String) { self.room = room }
    }
    public static let type = "JOIN_ROOM"
}

public struct Leave: Message {
    public typealias Payload = Empty
    public static let type = "LEAVE"
}

public struct Traced: Message {
    public typealias Payload = Empty
    public static let type = "TRACED"
    public static var extraMetaKeys: Set<String> { ["traceId"] }
}

public struct Login: Message {
    public struct Payload: Codable, Sendable, Equatable {
        public var user: String
        public init(user: String) { self.user = user }
    }
    public static let type = "LOGIN"
}

public struct Notice: Message {
    public struct Payload: Codable, Sendable, Equatable {
        public var text: String
        public init(text: String) { self.text = text }
    }
    public static let type = "NOTICE"
}

/// An RPC whose handler the test scripts.
public struct GetUser: RPC {
    public struct Payload: Codable, Sendable, Equatable {
        public var id: String
        public init(id: String) { self.id = id }
    }
    public typealias Response = UserData.Payload
    public static let responseType = UserData.type
    public static let type = "GET_USER"
}

public struct UserData: Message {
    public struct Payload: Codable, Sendable, Equatable {
        public var name: String
        public var step: Int = 0
        public init(name: String, step: Int = 0) {
            self.name = name
            self.step = step
        }
    }
    public static let type = "USER_DATA"
}

/// An RPC that waits `ms` on the router clock before replying.
public struct Work: RPC {
    public struct Payload: Codable, Sendable, Equatable {
        @InRange(0...100_000) public var ms: Int = 0
        public init(ms: Int) { self.ms = ms }
    }
    public typealias Response = WorkDone.Payload
    public static let responseType = WorkDone.type
    public static let type = "WORK"
}

public struct WorkDone: Message {
    public struct Payload: Codable, Sendable, Equatable {
        public var ms: Int
        public init(ms: Int) { self.ms = ms }
    }
    public static let type = "WORK_DONE"
}

public struct Touch: RPC {
    public typealias Payload = Empty
    public typealias Response = Touched.Payload
    public static let responseType = Touched.type
    public static let type = "TOUCH"
}

public struct Touched: Message {
    public typealias Payload = Empty
    public static let type = "TOUCHED"
}

/// A message type that is reserved and so can never be registered.
public struct Sneaky: Message {
    public typealias Payload = Empty
    public static let type = "$ws:sneaky"
}
