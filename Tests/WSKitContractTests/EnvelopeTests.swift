import Testing
import WSKitContract

func envelopeError(_ text: String) -> EnvelopeError? {
    do {
        _ = try Envelope.parse(text)
        return nil
    } catch {
        return error
    }
}

@Suite("Envelope rules")
struct EnvelopeTests {
    @Test("a minimal envelope is just a type; meta defaults to empty, payload to absent")
    func minimal() throws {
        let envelope = try Envelope.parse(#"{"type":"PING"}"#)
        #expect(envelope.type == "PING")
        #expect(envelope.meta.isEmpty)
        #expect(envelope.payload == nil)
    }

    @Test("type, meta and payload are read; a null payload is present, not absent")
    func full() throws {
        let envelope = try Envelope.parse(#"{"payload":{"text":"hi"},"meta":{"correlationId":"c1","timeoutMs":500,"timestamp":1730450000000},"type":"CHAT"}"#)
        #expect(envelope.type == "CHAT")
        #expect(envelope.payload == ["text": "hi"])
        #expect(envelope.correlationId == "c1")
        #expect(envelope.timeoutMs == 500)
        #expect(envelope.timestamp == 1730450000000)
        #expect(try Envelope.parse(#"{"type":"X","payload":null}"#).payload == .null)
    }

    @Test("binary frames carry the same UTF-8 JSON envelope as text frames")
    func bytes() throws {
        let bytes = Array(#"{"type":"CHAT","payload":{"t":"é"}}"#.utf8)
        let envelope = try bytes.withUnsafeBytes { raw throws(EnvelopeError) in try Envelope.parse(raw) }
        #expect(envelope.payload?["t"] == "é")
    }

    @Test("root violations are typed errors", arguments: [
        (#"[1]"#, EnvelopeError.Kind.notAnObject), (#""PING""#, .notAnObject), (#"{}"#, .missingType),
        (#"{"type":1}"#, .typeNotString), (#"{"type":""}"#, .emptyType), (#"{"type":"A","meta":[]}"#, .metaNotObject),
        (#"{"type":"A","meta":null}"#, .metaNotObject), (#"{"type":"A","data":{}}"#, .unknownRootKey("data")),
        (#"{"type":"A","topic":"t"}"#, .unknownRootKey("topic")),
    ])
    func rootViolations(text: String, kind: EnvelopeError.Kind) {
        #expect(envelopeError(text)?.kind == kind)
    }

    @Test("malformed JSON carries the parser's error and nothing salvaged")
    func malformed() {
        let error = envelopeError(#"{"type":"A","meta":{"correlationId":"c"}"#)
        guard case .malformedJSON(let parseError)? = error?.kind else {
            Issue.record("expected malformedJSON, got \(String(describing: error))")
            return
        }
        #expect(parseError.kind == .unexpectedEnd)
        #expect(error?.correlationId == nil)
    }

    @Test("a violation after the correlation id is readable keeps the id, so the reply can be RPC_ERROR")
    func salvagesCorrelation() {
        let error = envelopeError(#"{"type":"GET","meta":{"correlationId":"r-1"},"extra":1}"#)
        #expect(error?.kind == .unknownRootKey("extra"))
        #expect(error?.correlationId == "r-1")
        #expect(error?.type == "GET")
        #expect(envelopeError(#"{"type":7,"meta":{"correlationId":"r-2"}}"#)?.correlationId == "r-2")
    }

    @Test("standard meta keys are type-checked", arguments: [
        (#"{"type":"A","meta":{"correlationId":5}}"#, "correlationId"), (#"{"type":"A","meta":{"correlationId":""}}"#, "correlationId"),
        (#"{"type":"A","meta":{"timeoutMs":-1}}"#, "timeoutMs"), (#"{"type":"A","meta":{"timeoutMs":1.5}}"#, "timeoutMs"),
        (#"{"type":"A","meta":{"timeoutMs":"5"}}"#, "timeoutMs"), (#"{"type":"A","meta":{"timestamp":"now"}}"#, "timestamp"),
    ])
    func metaTypes(text: String, key: String) {
        guard case .invalidMeta(let badKey, _)? = envelopeError(text)?.kind else {
            Issue.record("expected invalidMeta for \(text)")
            return
        }
        #expect(badKey == key)
    }

    @Test("an overlong correlation id is rejected and not salvaged")
    func longCorrelationId() {
        let id = String(repeating: "x", count: MetaKey.maxCorrelationIdBytes + 1)
        let error = envelopeError(#"{"type":"A","meta":{"correlationId":"\#(id)"}}"#)
        #expect(error != nil)
        #expect(error?.correlationId == nil)
    }

    @Test("server-only meta keys sent by a client are stripped, never trusted")
    func stripsServerOnlyMeta() throws {
        let envelope = try Envelope.parse(#"{"type":"A","meta":{"clientId":"spoof","receivedAt":1,"correlationId":"c"}}"#)
        #expect(envelope.meta == ["correlationId": "c"])
    }

    @Test("unknown meta keys are issues unless the message declares them")
    func metaStrictness() throws {
        let envelope = try Envelope.parse(#"{"type":"A","meta":{"correlationId":"c","traceId":"t","room":"r"}}"#)
        #expect(envelope.unknownMetaKeys() == ["traceId", "room"])
        #expect(envelope.unknownMetaKeys(allowing: ["traceId"]) == ["room"])
        let failure = envelope.validateMeta(allowing: ["traceId"])
        #expect(failure?.issues.map(\.path.description) == ["meta.room"])
        #expect(failure?.issues.first?.code == ValidationIssue.Code.unrecognizedKey)
        #expect(envelope.validateMeta(allowing: ["traceId", "room"]) == nil)
    }

    @Test("reserved types: $ and __ prefixes and the error types")
    func reserved() {
        for type in ["$ws:abort", "$ws:rpc-progress", "$anything", "__heartbeat", "__x", "ERROR", "RPC_ERROR"] {
            #expect(ReservedType.isReserved(type), "\(type)")
        }
        for type in ["CHAT", "_private", "ws:abort", "error", "A$", ""] {
            #expect(!ReservedType.isReserved(type), "\(type)")
        }
    }

    @Test("serialisation: type first, empty meta and absent payload omitted, parseable back")
    func serialize() throws {
        #expect(String(decoding: Envelope(type: "PING").serialized(), as: UTF8.self) == #"{"type":"PING"}"#)
        let envelope = Envelope(type: "CHAT", meta: ["correlationId": "c"], payload: ["t": "x"])
        let text = String(decoding: envelope.serialized(), as: UTF8.self)
        #expect(text == #"{"type":"CHAT","meta":{"correlationId":"c"},"payload":{"t":"x"}}"#)
        #expect(try Envelope.parse(text) == envelope)
    }

    @Test("outbound messages carry the server timestamp; extra meta cannot override correlation or time")
    func outbound() {
        let envelope = Envelope.outbound(type: "PONG", payload: ["r": 1], correlationId: "c9", timestamp: 1_700_000_000_123,
                                         extraMeta: ["correlationId": "evil", "timestamp": 0, "trace": "t"])
        #expect(envelope.meta == ["trace": "t", "correlationId": "c9", "timestamp": 1_700_000_000_123])
        let plain = Envelope.outbound(type: "PONG", payload: nil, timestamp: 5)
        #expect(plain.meta == ["timestamp": 5])
        #expect(plain.correlationId == nil)
    }

    @Test("errors go out as RPC_ERROR when correlated, ERROR otherwise, with sanitised details")
    func errorEnvelopes() {
        let error = WireError(code: .notFound, message: "No room", details: ["room": "r1", "token": "s3cr3t"])
        let correlated = Envelope.error(error, correlationId: "c1", timestamp: 10)
        #expect(correlated.type == ReservedType.rpcError)
        #expect(correlated.correlationId == "c1")
        #expect(correlated.payload == ["code": "NOT_FOUND", "message": "No room", "details": ["room": "r1"], "retryable": false])
        let plain = Envelope.error(error, correlationId: nil, timestamp: 10)
        #expect(plain.type == ReservedType.error)
        #expect(plain.meta == ["timestamp": 10])
    }

    @Test("progress and heartbeat acknowledgements")
    func controlMessages() {
        let progress = Envelope.progress(payload: ["pct": 50], correlationId: "c", timestamp: 1)
        #expect(progress.type == "$ws:rpc-progress")
        #expect(progress.correlationId == "c")
        #expect(progress.payload == ["pct": 50])
        let ack = Envelope.heartbeatAck(timestamp: 77)
        #expect(ack.type == "__heartbeat_ack")
        #expect(ack.timestamp == 77)
        #expect(ack.meta["ts"] == 77)
        #expect(ack.payload == nil)
    }

    @Test("envelope errors become INVALID_ARGUMENT wire errors with a client-safe message")
    func wireErrorOfEnvelopeError() {
        let error = envelopeError(#"{"type":"A","data":1}"#)!
        #expect(error.wireError.code == .invalidArgument)
        #expect(error.wireError.message == #"Unknown envelope key "data""#)
    }
}
