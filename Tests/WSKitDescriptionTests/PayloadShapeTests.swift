import Testing
import WSKitContract
import WSKitValidation

@Suite("Payload shapes derived from Swift types")
struct PayloadShapeTests {
    func fields(_ shape: PayloadShape) -> [String: PayloadShape] {
        guard case .object(let fields, _) = shape.kind else { return [:] }
        return Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0.shape) })
    }

    func rules(_ shape: PayloadShape) -> [Constraint.Rule] {
        if case .optional(let wrapped) = shape.kind { return rules(wrapped) }
        return shape.constraints.map(\.rule)
    }

    @Test("fields, optionality and wrapper constraints come from the type")
    func fieldsAndConstraints() throws {
        let shape = try #require(PostNote.payloadShape)
        let fields = fields(shape)
        #expect(Set(fields.keys) == [
            "text", "room", "priority", "mood", "visibility", "tags", "attachment", "attachments", "score", "urgent", "level",
        ])
        #expect(fields["text"]?.kind == .string)
        #expect(rules(fields["text"]!) == [.length(Bounds(1...280))])
        #expect(rules(fields["room"]!) == [.pattern("^[a-z][a-z0-9-]*$")])
        #expect(rules(fields["priority"]!) == [.range(Bounds(1.0...5.0))])
        if case .optional(let wrapped) = fields["priority"]!.kind { #expect(wrapped.kind == .integer) } else {
            Issue.record("priority is not optional")
        }
        #expect(rules(fields["visibility"]!) == [.oneOf(["public", "private"])])
        #expect(rules(fields["tags"]!) == [.count(Bounds(...3))])
        #expect(fields["score"]?.kind == .number)
        #expect(fields["urgent"]?.kind == .boolean)
        #expect(rules(fields["level"]!) == [.range(Bounds(0.0...255.0))])
    }

    @Test("a CaseIterable enum is an enumeration of its raw values")
    func enumeration() throws {
        let shape = try #require(PostNote.payloadShape)
        let mood = try #require(fields(shape)["mood"])
        #expect(mood.kind == .string)
        #expect(rules(mood) == [.oneOf(["happy", "sad"])])
    }

    @Test("nested types and arrays of them carry their own constraints")
    func nested() throws {
        let shape = try #require(PostNote.payloadShape)
        let all = fields(shape)
        guard case .optional(let attachment) = all["attachment"]!.kind else {
            Issue.record("attachment is not optional")
            return
        }
        #expect(rules(fields(attachment)["name"]!) == [.length(Bounds(1...100))])
        guard case .array(let element) = all["attachments"]!.kind else {
            Issue.record("attachments is not an array")
            return
        }
        #expect(rules(fields(element)["bytes"]!) == [.range(Bounds(0.0...10_000_000.0))])
    }

    @Test("Empty, schema-DSL and RPC response payloads are described")
    func otherValidators() throws {
        #expect(Clear.payloadShape == .empty)
        let searchShape = try #require(Search.payloadShape)
        let search = fields(searchShape)
        #expect(rules(search["query"]!) == [.length(Bounds(1...100))])
        #expect(!PayloadShape.Field(name: "limit", shape: search["limit"]!).isRequired)
        let responseShape = try #require(FindNotes.responseShape)
        let response = fields(responseShape)
        #expect(response["ids"]?.kind == .array(PayloadShape(.string)))
        #expect(Touch.responseShape == .empty)
    }
}
