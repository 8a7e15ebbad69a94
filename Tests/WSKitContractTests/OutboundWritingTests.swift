import Testing
import WSKitContract

/// Writing an outbound envelope straight to bytes gives exactly the serialised `Envelope.outbound`.
@Suite struct OutboundWritingTests {
    struct Count: Validator {
        func validate(_ value: JSONValue, at path: JSONPath) -> Result<Int, ValidationFailure> {
            guard let n = value["n"]?.intValue else { return .failure(ValidationFailure(path: path, message: "n", code: "custom")) }
            return n >= 0 ? .success(n) : .failure(ValidationFailure(path: path, message: "negative", code: "too_small"))
        }
        func encode(_ value: Int) throws -> JSONValue { ["n": .number(Double(value))] }
    }

    struct Tick: Message {
        typealias Payload = Int
        static let type = "TICK"
        static var payloadValidator: Count { Count() }
    }

    struct Ping: Message {
        typealias Payload = Empty
        static let type = "PING"
    }

    static func written<M: Message>(
        _ type: M.Type, _ payload: M.Payload, correlationId: String?, extraMeta: JSONObject, validation: OutboundValidation
    ) throws -> String {
        var bytes: [UInt8] = []
        Envelope.writeOutboundHead(type: M.type, correlationId: correlationId, timestamp: 1_700_000_000_123, extraMeta: extraMeta, into: &bytes)
        try M.appendPayloadMember(payload, validation: validation, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    static func built<M: Message>(_ type: M.Type, _ payload: M.Payload, correlationId: String?, extraMeta: JSONObject) throws -> String {
        let envelope = Envelope.outbound(
            type: M.type, payload: try M.encodePayload(payload, validation: .disabled), correlationId: correlationId,
            timestamp: 1_700_000_000_123, extraMeta: extraMeta)
        return String(decoding: envelope.serialized(), as: UTF8.self)
    }

    @Test func headAndPayloadMemberMatchTheSerialisedOutboundEnvelope() throws {
        let metas: [JSONObject] = [[:], ["traceId": "t-1", "n": 2], ["correlationId": "spoof", "timestamp": 1, "type": "x", "a\"b": [1]]]
        for meta in metas {
            for correlationId in [nil, "req-1", "q\"uote"] as [String?] {
                for validation in [OutboundValidation.enabled, .disabled] {
                    #expect(try Self.written(Tick.self, 7, correlationId: correlationId, extraMeta: meta, validation: validation)
                            == Self.built(Tick.self, 7, correlationId: correlationId, extraMeta: meta))
                    #expect(try Self.written(Ping.self, Empty(), correlationId: correlationId, extraMeta: meta, validation: validation)
                            == Self.built(Ping.self, Empty(), correlationId: correlationId, extraMeta: meta))
                }
            }
        }
    }

    @Test func outboundValidationStillRejectsAPayloadThatBreaksItsSchema() throws {
        var bytes: [UInt8] = []
        #expect(throws: ValidationFailure.self) { try Tick.appendPayloadMember(-1, validation: .enabled, to: &bytes) }
        bytes = [] // a throw may leave a partial member, which the caller discards
        try Tick.appendPayloadMember(-1, validation: .disabled, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #","payload":{"n":-1}"#)
    }
}
