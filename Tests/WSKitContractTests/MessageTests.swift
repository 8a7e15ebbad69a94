import Testing
import WSKitContract

/// A hand-written validator: `{"n": integer}` into `Int`.
struct CountValidator: Validator {
    func validate(_ value: JSONValue, at path: JSONPath) -> Result<Int, ValidationFailure> {
        guard let n = value["n"]?.intValue else {
            return .failure(ValidationFailure(path: path.appending(key: "n"), message: "required", code: "required"))
        }
        guard n >= 0 else {
            return .failure(ValidationFailure(path: path.appending(key: "n"), message: "must be at least 0", code: "too_small"))
        }
        return .success(n)
    }
    func encode(_ value: Int) throws -> JSONValue { ["n": .number(Double(value))] }
}

struct Tick: Message {
    typealias Payload = Int
    static let type = "TICK"
    static var payloadValidator: CountValidator { CountValidator() }
}

struct Ping: Message {
    typealias Payload = Empty
    static let type = "PING"
}

struct Pong: Message {
    typealias Payload = Empty
    static let type = "PONG"
}

struct GetCount: RPC {
    typealias Payload = Empty
    typealias Response = Tick.Payload
    static let responseType = Tick.type
    static var responseValidator: CountValidator { CountValidator() }
    static let type = "GET_COUNT"
    static let extraMetaKeys: Set<String> = ["traceId"]
}

@Suite("Message payload rules")
struct MessageTests {
    @Test("messages without payload get EmptyValidator: an absent payload or {} is accepted, any key refused")
    func emptyPayload() {
        #expect(Ping.hasPayload == false)
        #expect(type(of: Ping.payloadValidator) == EmptyValidator.self)
        #expect((try? Ping.decodePayload(nil).get()) == Empty())
        #expect((try? Ping.decodePayload([:]).get()) == Empty())
        guard case .failure(let failure) = Ping.decodePayload(["x": 1]) else {
            Issue.record("a payload with keys on a no-payload message must fail")
            return
        }
        #expect(failure.issues.map(\.path.description) == ["payload.x"])
        #expect(failure.issues.first?.code == ValidationIssue.Code.unrecognizedKey)
        guard case .failure(let wrongType) = Ping.decodePayload(.string("x")) else {
            Issue.record("a non-object payload on a no-payload message must fail")
            return
        }
        #expect(wrongType.issues.first?.code == ValidationIssue.Code.invalidType)
    }

    @Test("messages with payload require it, and issues start at payload")
    func requiredPayload() {
        #expect(Tick.hasPayload)
        guard case .failure(let missing) = Tick.decodePayload(nil) else {
            Issue.record("missing payload must fail")
            return
        }
        #expect(missing.issues.first?.code == ValidationIssue.Code.required)
        #expect(missing.issues.first?.path == .payload)
        guard case .failure(let invalid) = Tick.decodePayload(["n": -1]) else {
            Issue.record("invalid payload must fail")
            return
        }
        #expect(invalid.issues.first?.path.description == "payload.n")
        #expect((try? Tick.decodePayload(["n": 4]).get()) == 4)
    }

    @Test("encodePayload omits Empty payloads and validates outgoing values when enabled")
    func outbound() throws {
        #expect(try Ping.encodePayload(Empty()) == nil)
        #expect(try Tick.encodePayload(3, validation: .enabled) == ["n": 3])
        #expect(throws: ValidationFailure.self) { try Tick.encodePayload(-3, validation: .enabled) }
        #expect(try Tick.encodePayload(-3, validation: .disabled) == ["n": -3])
    }

    @Test("extra meta keys default to none and can be declared")
    func extraMeta() {
        #expect(Ping.extraMetaKeys.isEmpty)
        #expect(GetCount.extraMetaKeys == ["traceId"])
        #expect(GetCount.responseType == "TICK")
        #expect(RPCResponse<GetCount>.type == "TICK")
    }

    @Test("outbound validation defaults to on in debug builds")
    func outboundDefault() {
        #if DEBUG
        #expect(OutboundValidation.default == .enabled)
        #else
        #expect(OutboundValidation.default == .disabled)
        #endif
    }
}
