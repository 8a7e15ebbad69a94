import Testing
import WSKitContract
import WSKitValidation

/// A payload type without fields (what WS-Kit clients send no `payload` for).
private struct NoFields: Codable, Sendable, Equatable {}

/// A payload type whose fields are all optional.
private struct Filter: Codable, Sendable, Equatable {
    var limit: Int?
}

private struct ListAll: Message {
    typealias Payload = NoFields
    static let type = "LIST_ALL"
}

private struct Search: Message {
    typealias Payload = Filter
    static let type = "SEARCH"
}

private struct Say: Message {
    struct Payload: Codable, Sendable, Equatable { var text: String }
    static let type = "SAY"
}

/// An absent `payload` is read as `{}` (docs/wire-protocol.md §2): types that accept an empty
/// object accept a message without `payload`; others still require it.
@Suite("Argument-less payloads")
struct ArgumentlessPayloadTests {
    @Test("a payload type without fields accepts an absent payload and {}, and refuses unknown keys")
    func noFields() throws {
        #expect(try ListAll.decodePayload(nil).get() == NoFields())
        #expect(try ListAll.decodePayload([:]).get() == NoFields())
        guard case .failure(let failure) = ListAll.decodePayload(["x": 1]) else {
            Issue.record("an unknown key must fail")
            return
        }
        #expect(failure.issues.map(\.code) == [ValidationIssue.Code.unrecognizedKey])
    }

    @Test("a payload type whose fields are all optional accepts an absent payload")
    func optionalFields() throws {
        #expect(try Search.decodePayload(nil).get() == Filter(limit: nil))
        #expect(try Search.decodePayload(["limit": 3]).get() == Filter(limit: 3))
    }

    @Test("a payload type with a required field still requires the payload, reported at payload")
    func requiredFields() {
        guard case .failure(let failure) = Say.decodePayload(nil) else {
            Issue.record("an absent payload must fail")
            return
        }
        #expect(failure.issues.map(\.path.description) == ["payload"])
        #expect(failure.issues.map(\.code) == [ValidationIssue.Code.required])
    }
}
