import Testing
import WSKitContract
import WSKitTestMessages
import WSKitValidation

struct SendMessage: Message {
    struct Payload: Codable, Sendable, Validatable {
        @Length(1...2000) var text: String
        var roomId: String = ""
    }
    static let type = "SEND_MESSAGE"
}

struct SchemaMessage: Message {
    typealias Payload = JSONValue
    static let type = "FREE"
    /// Computed, so the schema lives only while a test uses it (see `orderSchema`, ADR 0128).
    static var payloadValidator: SchemaValidator<JSONValue> { Schema.object(["x": .integer]).validator() }
}

@Suite("Message defaults with WSKitValidation")
struct MessageDefaultTests {
    @Test("a Codable payload gets CodableValidator without boilerplate")
    func codableDefault() throws {
        #expect(type(of: SendMessage.payloadValidator) == CodableValidator<SendMessage.Payload>.self)
        #expect(type(of: GetUser.payloadValidator) == CodableValidator<GetUser.Payload>.self)
        let decoded = try SendMessage.decodePayload(["text": "hi", "roomId": "r"]).get()
        #expect(decoded.text == "hi")
        guard case .failure(let failure) = SendMessage.decodePayload(["text": "", "roomId": "r", "x": 1]) else {
            Issue.record("should fail")
            return
        }
        #expect(summary(failure.issues) == ["payload.text: too_small", "payload.x: unrecognized_key"])
    }

    @Test("Empty payloads keep EmptyValidator even with WSKitValidation imported")
    func emptyStillEmpty() {
        #expect(type(of: Leave.payloadValidator) == EmptyValidator.self)
        #expect(!Leave.hasPayload)
    }

    @Test("a schema validator plugs into a message as its payload validator")
    func schemaMessage() {
        guard case .failure(let failure) = SchemaMessage.decodePayload(["x": "1"]) else {
            Issue.record("should fail")
            return
        }
        #expect(summary(failure.issues) == ["payload.x: invalid_type"])
    }

    @Test("RPC responses encode through their own default validator")
    func responseEncoding() throws {
        #expect(try RPCResponse<GetUser>.encodePayload(UserData.Payload(name: "Alice", step: 2)) == ["name": "Alice", "step": 2])
    }
}
