/// How topic names are normalised and validated, for subscriptions and publishes alike.
///
/// Order (ADR 0051): normalise, then (for subscribe) the idempotency check — subscribing to a
/// topic the connection already has is a no-op with no other side effect — then these checks,
/// then authorisation, then the per-connection limit.
public struct TopicRules: Sendable {
    /// Maps a topic as given to its canonical name (default: unchanged). Two names that normalise
    /// to the same string are the same topic.
    public var normalize: @Sendable (String) -> String
    /// The longest topic, in UTF-8 bytes (default 128).
    public var maxLength: Int
    /// The characters a topic may contain (default ``TopicCharacterSet/default``); `nil` accepts
    /// any character.
    public var allowedCharacters: TopicCharacterSet?
    /// An extra check run last: return a reason to reject the topic, `nil` to accept it.
    public var validate: (@Sendable (String) -> String?)?

    /// Creates rules; every parameter has the documented default.
    public init(
        normalize: @escaping @Sendable (String) -> String = { $0 },
        maxLength: Int = 128,
        allowedCharacters: TopicCharacterSet? = .default,
        validate: (@Sendable (String) -> String?)? = nil
    ) {
        self.normalize = normalize
        self.maxLength = maxLength
        self.allowedCharacters = allowedCharacters
        self.validate = validate
    }

    /// The defaults: no normalisation, at most 128 bytes of letters, digits and `: _ . / -`.
    public static var `default`: TopicRules { TopicRules() }

    /// A normaliser that lowercases the topic (`Room:1` and `room:1` are one topic).
    public static let lowercased: @Sendable (String) -> String = { $0.lowercased() }

    /// A normaliser that removes leading and trailing white space.
    public static let trimmingWhitespace: @Sendable (String) -> String = { topic in
        let scalars = topic.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first ... last])
    }

    /// Why `topic` (already normalised) is invalid, or `nil` when it is valid.
    public func check(_ topic: String) -> InvalidTopicReason? {
        let length = topic.utf8.count
        if length == 0 { return .empty }
        if length > maxLength { return .tooLong(length: length, max: maxLength) }
        if let allowedCharacters {
            var offset = 0
            for byte in topic.utf8 {
                if !allowedCharacters.contains(byte) { return .invalidCharacter(offset: offset) }
                offset += 1
            }
        }
        if let validate, let reason = validate(topic) { return .rejected(reason) }
        return nil
    }
}

/// Why a topic name is invalid.
public enum InvalidTopicReason: Sendable, Hashable, CustomStringConvertible {
    /// The topic is empty (after normalisation).
    case empty
    /// The topic is longer than the limit (UTF-8 bytes).
    case tooLong(length: Int, max: Int)
    /// The byte at `offset` is not an allowed character (the pattern check).
    case invalidCharacter(offset: Int)
    /// The custom ``TopicRules/validate`` check rejected it.
    case rejected(String)

    /// WS-Kit's `details.reason`: `"length"`, `"pattern"` or `"custom"`.
    public var code: String {
        switch self {
        case .empty, .tooLong: "length"
        case .invalidCharacter: "pattern"
        case .rejected: "custom"
        }
    }

    /// A sentence describing the problem.
    public var description: String {
        switch self {
        case .empty: "the topic is empty"
        case let .tooLong(length, max): "the topic is \(length) bytes long (at most \(max))"
        case let .invalidCharacter(offset): "the topic has a character that is not allowed at byte \(offset)"
        case let .rejected(reason): reason
        }
    }
}
