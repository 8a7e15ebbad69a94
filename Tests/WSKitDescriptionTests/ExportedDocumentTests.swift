import Testing
import WSKitContract
import WSKitDescription
import WSKitMessaging
import WSKitRPC
import WSKitRouter
import WSKitValidation

struct Session: Sendable {}
struct AppPlugins: MessagingInstalled, RPCInstalled {
    var messaging = MessagingPlugin()
    var rpc = RPCPlugin()
}

/// The described app's router: two events, a schema-DSL event, two RPCs; one declared push.
func describedRouter() -> Router<Session, AppPlugins> {
    let router = Router<Session, AppPlugins>()
    router.on(PostNote.self) { _ in }
    router.on(Clear.self) { _ in }
    router.on(Search.self) { _ in }
    router.rpc(FindNotes.self) { ctx in ctx.reply(FindNotes.Response()) }
    router.rpc(Touch.self) { ctx in ctx.reply(Empty()) }
    return router
}

func describedApp() -> APIDescription {
    APIDescription(title: "Notes", version: "1.2.3", router: describedRouter(), pushes: [NoteAdded.self])
}

@Suite("Descriptions, JSON Schemas and AsyncAPI documents of a router")
struct ExportedDocumentTests {
    @Test("the description lists every route and declared push, with RPC responses")
    func description() {
        let app = describedApp()
        #expect(app.events.map(\.type) == ["POST_NOTE", "CLEAR", "SEARCH"])
        #expect(app.rpcs.map(\.request.type) == ["FIND_NOTES", "TOUCH"])
        #expect(app.rpcs.map(\.response.type) == ["FIND_NOTES_RESPONSE", "TOUCH_RESPONSE"])
        #expect(app.rpcs.map(\.isAcknowledgement) == [false, true])
        #expect(app.pushes.map(\.type) == ["NOTE_ADDED"])
        #expect(app.events[1].payloadIsOptional)
        #expect(!app.events[0].payloadIsOptional)
    }

    /// Payload samples: what the server's validator decides must be what JSON Schema decides.
    static let samples: [(type: String, json: String)] = [
        ("POST_NOTE", #"{"text":"hi","room":"a-1","mood":"sad","visibility":"private","tags":[],"attachments":[],"score":1.5,"urgent":true,"level":3}"#),
        ("POST_NOTE", #"{"text":"hi","room":"a-1","priority":5,"mood":"happy","visibility":"public","tags":["x","y","z"],"attachment":{"name":"f","bytes":10},"attachments":[{"name":"g","bytes":0}],"score":0,"urgent":false,"level":255}"#),
        ("POST_NOTE", #"{"text":"hi","room":"a-1","priority":null,"attachment":null,"mood":"happy","visibility":"public","tags":[],"attachments":[],"score":0,"urgent":false,"level":0}"#),
        ("POST_NOTE", #"{"text":"","room":"a-1","mood":"sad","visibility":"private","tags":[],"attachments":[],"score":1,"urgent":true,"level":3}"#),
        ("POST_NOTE", #"{"text":"hi","room":"A","mood":"sad","visibility":"private","tags":[],"attachments":[],"score":1,"urgent":true,"level":3}"#),
        ("POST_NOTE", #"{"text":"hi","room":"a","priority":6,"mood":"sad","visibility":"private","tags":[],"attachments":[],"score":1,"urgent":true,"level":3}"#),
        ("POST_NOTE", #"{"text":"hi","room":"a","mood":"angry","visibility":"private","tags":[],"attachments":[],"score":1,"urgent":true,"level":3}"#),
        ("POST_NOTE", #"{"text":"hi","room":"a","mood":"sad","visibility":"secret","tags":[],"attachments":[],"score":1,"urgent":true,"level":3}"#),
        ("POST_NOTE", #"{"text":"hi","room":"a","mood":"sad","visibility":"public","tags":["1","2","3","4"],"attachments":[],"score":1,"urgent":true,"level":3}"#),
        ("POST_NOTE", #"{"text":"hi","room":"a","mood":"sad","visibility":"public","tags":[],"attachments":[{"name":"","bytes":1}],"score":1,"urgent":true,"level":3}"#),
        ("POST_NOTE", #"{"text":"hi","room":"a","mood":"sad","visibility":"public","tags":[],"attachments":[],"score":1,"urgent":true,"level":256}"#),
        ("POST_NOTE", #"{"text":"hi","room":"a","mood":"sad","visibility":"public","tags":[],"attachments":[],"score":1,"urgent":true,"level":1,"extra":1}"#),
        ("POST_NOTE", #"{"text":"hi","room":"a","mood":"sad","visibility":"public","tags":[],"attachments":[],"score":"1","urgent":true,"level":1}"#),
        ("POST_NOTE", #"{"text":"hi","room":"a","mood":"sad","visibility":"public","tags":[],"attachments":[],"score":1,"urgent":true,"level":1.5}"#),
        ("POST_NOTE", #"{"room":"a","mood":"sad","visibility":"public","tags":[],"attachments":[],"score":1,"urgent":true,"level":1}"#),
        ("POST_NOTE", #"{"text":"hi","room":"a","mood":"sad","visibility":"public","tags":[],"attachments":[],"score":1,"urgent":true,"level":1,"attachment":{"name":"x"}}"#),
        ("CLEAR", #"{}"#),
        ("CLEAR", #"{"x":1}"#),
        ("SEARCH", #"{"query":"cats","order":"asc"}"#),
        ("SEARCH", #"{"query":"cats","order":"asc","limit":50}"#),
        ("SEARCH", #"{"query":"cats","order":"up"}"#),
        ("SEARCH", #"{"query":"cats","order":"asc","limit":51}"#),
        ("SEARCH", #"{"query":"","order":"asc"}"#),
        ("SEARCH", #"{"query":"cats","order":"asc","more":true}"#),
        ("FIND_NOTES", #"{"query":"x"}"#),
        ("FIND_NOTES", #"{"query":""}"#),
        ("FIND_NOTES", #"[]"#),
        ("FIND_NOTES_RESPONSE", #"{"ids":["a"],"done":true}"#),
        ("FIND_NOTES_RESPONSE", #"{"ids":[1],"done":true}"#),
        ("NOTE_ADDED", #"{"id":"1","text":"t","at":3}"#),
        ("NOTE_ADDED", #"{"id":"1","text":"t"}"#),
    ]

    /// The server's verdict on a payload sample.
    static func serverAccepts(_ type: String, _ value: JSONValue) -> Bool {
        func accepts<M: Message>(_ message: M.Type) -> Bool {
            if case .success = M.decodePayload(value) { return true }
            return false
        }
        switch type {
        case "POST_NOTE": return accepts(PostNote.self)
        case "CLEAR": return accepts(Clear.self)
        case "SEARCH": return accepts(Search.self)
        case "FIND_NOTES": return accepts(FindNotes.self)
        case "FIND_NOTES_RESPONSE": return accepts(RPCResponse<FindNotes>.self)
        case "NOTE_ADDED": return accepts(NoteAdded.self)
        default: return false
        }
    }

    @Test("every payload schema gives the server's verdict on accepted and rejected samples")
    func sameVerdicts() async throws {
        let app = describedApp()
        var shapes: [String: PayloadShape] = [:]
        for message in app.events + app.pushes { shapes[message.type] = message.payload }
        for rpc in app.rpcs {
            shapes[rpc.request.type] = rpc.request.payload
            shapes[rpc.response.type] = rpc.response.payload
        }
        var cases: [JSONValue] = []
        var expected: [Bool] = []
        for sample in Self.samples {
            let value = try JSON.parse(sample.json)
            let shape = try #require(shapes[sample.type])
            cases.append(["schema": JSONSchema.document(for: shape), "value": value])
            expected.append(Self.serverAccepts(sample.type, value))
        }
        #expect(expected.contains(true) && expected.contains(false))
        let script = """
            import json, jsonschema
            cases = json.load(open("input.json"))
            for case in cases:
                jsonschema.Draft202012Validator.check_schema(case["schema"])
            print(json.dumps([jsonschema.Draft202012Validator(c["schema"]).is_valid(c["value"]) for c in cases]))
            """
        let verdicts = try await PythonJSONSchema.run(script, input: .array(cases))
        let schemaVerdicts = try #require(verdicts.arrayValue).map { $0.boolValue }
        for (index, sample) in Self.samples.enumerated() {
            #expect(schemaVerdicts[index] == expected[index], "\(sample.type) \(sample.json): server \(expected[index])")
        }
    }

    @Test("the AsyncAPI document validates against the official AsyncAPI 3.0.0 schema, in JSON and YAML")
    func asyncAPIValidates() async throws {
        let document = AsyncAPIDocument(describedApp(), path: "/ws", host: "localhost:8080")
        let script = """
            import json, jsonschema, yaml
            data = json.load(open("input.json"))
            schema = json.load(open(data["schemaPath"]))
            doc = json.loads(data["json"])
            errors = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(doc)]
            print(json.dumps({"errors": errors[:5], "yamlSame": yaml.safe_load(data["yaml"]) == doc,
                              "operations": sorted(doc["operations"].keys())}))
            """
        let result = try await PythonJSONSchema.run(
            script,
            input: ["schemaPath": .string(PythonJSONSchema.asyncAPISchemaPath), "json": .string(document.json()), "yaml": .string(document.yaml())])
        #expect(result["errors"] == [])
        #expect(result["yamlSame"] == true)
        #expect(result["operations"] == [
            "receive_CLEAR", "receive_FIND_NOTES", "receive_POST_NOTE", "receive_SEARCH", "receive_TOUCH", "send_ERROR",
            "send_NOTE_ADDED",
        ])
    }

    @Test("an RPC operation replies with its response, its progress and RPC_ERROR, correlated by meta.correlationId")
    func rpcOperation() throws {
        let value = AsyncAPIDocument(describedApp()).value
        let operation = try #require(value["operations"]?["receive_FIND_NOTES"])
        #expect(operation["reply"]?["messages"] == [
            ["$ref": "#/channels/connection/messages/FIND_NOTES_RESPONSE"],
            ["$ref": "#/channels/connection/messages/FIND_NOTES_PROGRESS"],
            ["$ref": "#/channels/connection/messages/RPC_ERROR"],
        ])
        #expect(value["components"]?["correlationIds"]?["rpc"]?["location"] == "$message.payload#/meta/correlationId")
        #expect(value["components"]?["messages"]?["FIND_NOTES_PROGRESS"]?["name"] == "$ws:rpc-progress")
    }
}
