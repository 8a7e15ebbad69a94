import WSKitContract
import WSKitValidation

// A small app whose types use every kind of constraint and structure the description covers.

enum Mood: String, Codable, Sendable, CaseIterable {
    case happy, sad
}

struct Attachment: Codable, Sendable {
    @Length(1...100) var name: String = ""
    @InRange(0...10_000_000) var bytes: Int = 0
}

struct PostNote: Message {
    struct Payload: Codable, Sendable {
        @Length(1...280) var text: String = ""
        @Pattern("^[a-z][a-z0-9-]*$") var room: String = ""
        @InRange(1...5) var priority: Int? = nil
        var mood: Mood = .happy
        @OneOf(["public", "private"]) var visibility: String = "public"
        @Count(...3) var tags: [String] = []
        var attachment: Attachment?
        var attachments: [Attachment] = []
        var score: Double = 0
        var urgent: Bool = false
        var level: UInt8 = 0
    }
    static let type = "POST_NOTE"
}

struct Clear: Message {
    typealias Payload = Empty
    static let type = "CLEAR"
}

/// A message validated by a schema built with the DSL instead of a Codable type.
struct Search: Message {
    typealias Payload = JSONValue
    static let type = "SEARCH"
    static var payloadValidator: SchemaValidator<JSONValue> {
        Schema.object([
            "query": .string(length: 1...100),
            "limit": .optional(.integer(range: 1...50)),
            "order": .oneOf(["asc", "desc"]),
        ]).validator()
    }
}

struct FindNotes: RPC {
    struct Payload: Codable, Sendable {
        @Length(1...50) var query: String = ""
    }
    struct Response: Codable, Sendable {
        var ids: [String] = []
        var done: Bool = false
    }
    static let type = "FIND_NOTES"
}

struct Touch: RPC {
    typealias Payload = Empty
    typealias Response = Empty
    static let type = "TOUCH"
}

struct NoteAdded: Message {
    struct Payload: Codable, Sendable {
        var id: String
        var text: String
        var at: Int
    }
    static let type = "NOTE_ADDED"
}
