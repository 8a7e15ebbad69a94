import WSKit

/// Reads a chat upgrade request: `/ws/<room>?name=<displayName>[&recover=1]`.
public enum ChatUpgrade {
    /// The room when the path names none.
    public static let defaultRoom = "lobby"
    /// The display name when `name` is missing or blank.
    public static let defaultName = "anon"
    /// The longest display name kept (longer ones are cut).
    public static let maxNameLength = 40
    /// The longest room name accepted.
    public static let maxRoomLength = 64

    /// The session for an upgrade request, or the refusal: 404 outside `/ws`, 400 for a room
    /// name that is too long or has a `/`.
    public static func session(path: String, query: [HTTPRequestHead.QueryItem]) -> Result<ChatSession, RefusalReason> {
        guard path == "/ws" || path.hasPrefix("/ws/") else { return .failure(.notFound) }
        var room = path == "/ws" ? "" : percentDecoded(String(path.dropFirst(4)))
        if room.hasSuffix("/") { room.removeLast() }
        room = trimmed(room)
        if room.isEmpty { room = defaultRoom }
        guard !room.contains("/"), room.count <= maxRoomLength else { return .failure(.badRoom) }
        var name = trimmed(query.last { $0.name == "name" }?.value ?? "")
        if name.isEmpty { name = defaultName }
        if name.count > maxNameLength { name = String(name.prefix(maxNameLength)) }
        let recovers = query.last { $0.name == "recover" }?.value == "1"
        return .success(ChatSession(room: room, displayName: name, recovers: recovers))
    }

    /// Why an upgrade was refused.
    public enum RefusalReason: Error, Sendable {
        /// Not a chat path.
        case notFound
        /// The room name is unusable.
        case badRoom

        /// The HTTP answer.
        public var response: HTTPResponse {
            switch self {
            case .notFound: .notFound("WebSockets live at /ws/<room>?name=<displayName>")
            case .badRoom: .badRequest("A room name has 1…\(ChatUpgrade.maxRoomLength) characters and no '/'")
            }
        }
    }

    /// Whitespace (and control characters) removed at both ends.
    static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace || $0.unicodeScalars.allSatisfy { $0.value < 0x20 } }
        return String(text.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }

    /// `%XX` escapes decoded (the path's); invalid UTF-8 becomes U+FFFD.
    static func percentDecoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
               let high = hexValue(iterator[iterator.startIndex]),
               let low = hexValue(iterator[iterator.startIndex + 1]) {
                bytes.append(high << 4 | low)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
