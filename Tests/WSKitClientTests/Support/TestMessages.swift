import WSKitContract

/// A payload that converts itself to and from JSON (a stand-in for WSKitValidation's Codable
/// validators, so these tests depend on the wire contract only).
protocol TestPayload: Sendable {
    static func from(_ json: JSONValue, at path: JSONPath) -> Result<Self, ValidationFailure>
    var json: JSONValue { get }
}

struct TestValidator<P: TestPayload>: Validator {
    func validate(_ value: JSONValue, at path: JSONPath) -> Result<P, ValidationFailure> { P.from(value, at: path) }
    func encode(_ value: P) throws -> JSONValue { value.json }
}

/// `{"text": String}` with at most 100 characters.
struct Text: TestPayload, Hashable {
    var text: String

    static func from(_ json: JSONValue, at path: JSONPath) -> Result<Text, ValidationFailure> {
        guard case .string(let text)? = json["text"] else {
            return .failure(ValidationFailure(path: path.appending(key: "text"), message: "expected string",
                                              code: ValidationIssue.Code.invalidType))
        }
        guard text.count <= 100 else {
            return .failure(ValidationFailure(path: path.appending(key: "text"), message: "too long",
                                              code: ValidationIssue.Code.tooBig))
        }
        return .success(Text(text: text))
    }

    var json: JSONValue { ["text": .string(text)] }
}

/// `{"n": Int}`.
struct Count: TestPayload, Hashable {
    var n: Int

    static func from(_ json: JSONValue, at path: JSONPath) -> Result<Count, ValidationFailure> {
        guard let n = json["n"]?.intValue else {
            return .failure(ValidationFailure(path: path.appending(key: "n"), message: "expected integer",
                                              code: ValidationIssue.Code.invalidType))
        }
        return .success(Count(n: n))
    }

    var json: JSONValue { ["n": .number(Double(n))] }
}

protocol TextMessage: Message where Payload == Text, PayloadValidator == TestValidator<Text> {}
extension TextMessage {
    static var payloadValidator: TestValidator<Text> { TestValidator() }
}

protocol TextRPC: RPC where Response == Text, ResponseValidator == TestValidator<Text> {}
extension TextRPC {
    static var responseValidator: TestValidator<Text> { TestValidator() }
}

protocol CountMessage: Message where Payload == Count, PayloadValidator == TestValidator<Count> {}
extension CountMessage {
    static var payloadValidator: TestValidator<Count> { TestValidator() }
}

/// Server → client reply of the text RPCs.
struct Echoed: TextMessage { static let type = "ECHOED" }
/// RPC: the server answers `ECHOED` with the same text.
struct Echo: TextMessage, TextRPC { typealias Response = Echoed.Payload; static let responseType = Echoed.type; static let type = "ECHO" }
/// RPC: three `$ws:rpc-progress` updates ("step 1"…"step 3"), then `ECHOED`.
struct Slow: TextMessage, TextRPC { typealias Response = Echoed.Payload; static let responseType = Echoed.type; static let type = "SLOW" }
/// RPC: one progress update in WS-Kit's legacy `data` field ("legacy step"), then `ECHOED`.
struct Legacy: TextMessage, TextRPC { typealias Response = Echoed.Payload; static let responseType = Echoed.type; static let type = "LEGACY" }
/// RPC: never answered (the server records the `$ws:abort`).
struct Hang: TextMessage, TextRPC { typealias Response = Echoed.Payload; static let responseType = Echoed.type; static let type = "HANG" }
/// RPC: answered with `RPC_ERROR` UNAVAILABLE "busy", details {"shard": 3}, retryAfterMs 25.
struct Fail: TextMessage, TextRPC { typealias Response = Echoed.Payload; static let responseType = Echoed.type; static let type = "FAIL" }
/// RPC: fails `n` times with UNAVAILABLE (retryAfterMs 10) per connection, then answers.
struct Flaky: TextMessage, TextRPC { typealias Response = Echoed.Payload; static let responseType = Echoed.type; static let type = "FLAKY" }
/// RPC without payload: answers `ECHOED` with the token the connection was opened with.
struct WhoAmI: TextRPC {
    typealias Payload = Empty
    typealias Response = Echoed.Payload
    static let responseType = Echoed.type
    static let type = "WHOAMI"
}
/// Fire-and-forget: the server pushes `NEWS` with the same text (text "bad": an invalid payload).
struct Notify: TextMessage { static let type = "NOTIFY" }
/// Server push.
struct News: TextMessage { static let type = "NEWS" }
/// Fire-and-forget: the server records `n`.
struct Tally: CountMessage { static let type = "TALLY" }
/// Fire-and-forget: the server closes the connection with close code `n`.
struct Kick: CountMessage { static let type = "KICK" }
