import Testing
import WSKitContract

@Suite("Error codes and wire errors")
struct ErrorModelTests {
    @Test("the 13 standard codes with WS-Kit's retry table", arguments: [
        ("UNAUTHENTICATED", ErrorCodeInfo.Retryability.no, nil as Int?, ErrorCodeInfo.RetryAfterRule.forbidden),
        ("PERMISSION_DENIED", .no, nil, .forbidden), ("INVALID_ARGUMENT", .no, nil, .forbidden),
        ("FAILED_PRECONDITION", .no, nil, .forbidden), ("NOT_FOUND", .no, nil, .forbidden),
        ("ALREADY_EXISTS", .no, nil, .forbidden), ("UNIMPLEMENTED", .no, nil, .forbidden), ("CANCELLED", .no, nil, .forbidden),
        ("DEADLINE_EXCEEDED", .yes, 50, .optional), ("RESOURCE_EXHAUSTED", .yes, 100, .optional),
        ("UNAVAILABLE", .yes, 100, .optional), ("ABORTED", .yes, 50, .optional), ("INTERNAL", .maybe, 200, .optional),
    ])
    func table(code: String, retryable: ErrorCodeInfo.Retryability, backoff: Int?, rule: ErrorCodeInfo.RetryAfterRule) throws {
        let info = try #require(ErrorCode(code).info)
        #expect(info.retryable == retryable)
        #expect(info.suggestedBackoff == backoff.map { .milliseconds($0) })
        #expect(info.retryAfterRule == rule)
        #expect(ErrorCode.standard.contains(ErrorCode(code)))
    }

    @Test("exactly 13 standard codes; custom codes are allowed and have no metadata")
    func customCodes() {
        #expect(ErrorCode.standard.count == 13)
        #expect(Set(ErrorCode.standard).count == 13)
        let custom: ErrorCode = "ROOM_FULL"
        #expect(!custom.isStandard)
        #expect(custom.info == nil)
        #expect(ErrorCode.internal.isStandard)
    }

    @Test("non-retryable codes drop retryAfterMs and say retryable: false")
    func forbiddenRetryAfter() {
        let error = WireError(code: .invalidArgument, message: "bad", retryAfterMs: 500)
        #expect(error.retryAfterMs == nil)
        #expect(error.payload == ["code": "INVALID_ARGUMENT", "message": "bad", "retryable": false])
    }

    @Test("transient codes default to retryable with the suggested backoff; an explicit value wins")
    func transientDefaults() {
        #expect(WireError(code: .resourceExhausted).payload
                == ["code": "RESOURCE_EXHAUSTED", "message": "Resource exhausted", "retryable": true, "retryAfterMs": 100])
        #expect(WireError(code: .unavailable, retryAfterMs: 2500).retryAfterMs == 2500)
        #expect(WireError(code: .aborted).retryAfterMs == 50)
    }

    @Test("INTERNAL is not retryable unless said so, then gets its 200 ms backoff")
    func internalCode() {
        let plain = WireError(code: .internal)
        #expect(plain.retryable == false)
        #expect(plain.retryAfterMs == nil)
        #expect(plain.message == "Internal server error")
        let retry = WireError(code: .internal, retryable: true)
        #expect(retry.retryAfterMs == 200)
        #expect(WireError(code: .internal, retryAfterMs: 30).retryable == true)
    }

    @Test("retryAfterMs is clamped to 0 ... one day")
    func clamps() {
        #expect(WireError(code: .unavailable, retryAfterMs: -5).retryAfterMs == 0)
        #expect(WireError(code: .unavailable, retryAfterMs: .max).retryAfterMs == WireError.maxRetryAfterMs)
    }

    @Test("explicit retryable false removes retryAfterMs; impossible retries send retryAfterMs: null")
    func impossible() {
        #expect(WireError(code: .unavailable, retryable: false, retryAfterMs: 100).retryAfterMs == nil)
        let impossible = WireError(code: .resourceExhausted, message: "Too costly", retryImpossible: true)
        #expect(impossible.payload == ["code": "RESOURCE_EXHAUSTED", "message": "Too costly", "retryable": false, "retryAfterMs": nil])
        #expect(!impossible.shouldRetry)
    }

    @Test("custom codes: retryable left to the client unless set or implied by retryAfterMs")
    func customRetry() {
        #expect(WireError(code: "ROOM_FULL").payload == ["code": "ROOM_FULL", "message": "ROOM_FULL"])
        #expect(WireError(code: "ROOM_FULL", retryAfterMs: 1000).payload
                == ["code": "ROOM_FULL", "message": "ROOM_FULL", "retryable": true, "retryAfterMs": 1000])
        #expect(!WireError(code: "ROOM_FULL").shouldRetry)
    }

    @Test("rules hold even when fields are mutated after creation")
    func payloadReappliesRules() {
        var error = WireError(code: .notFound)
        error.retryAfterMs = 100
        error.message = ""
        #expect(error.payload == ["code": "NOT_FOUND", "message": "Not found", "retryable": false])
    }

    @Test("a client parses what the server sent, including retryAfterMs: null")
    func parsePayload() throws {
        let sent = WireError(code: .resourceExhausted, message: "slow down", details: ["cost": 3], retryAfterMs: 1200)
        let parsed = try WireError.parse(payload: .object(sent.payload)).get()
        #expect(parsed == sent)
        let impossible = try WireError.parse(payload: ["code": "RESOURCE_EXHAUSTED", "message": "no", "retryAfterMs": nil]).get()
        #expect(impossible.retryImpossible)
        #expect(!impossible.shouldRetry)
        let minimal = try WireError.parse(payload: ["code": "UNAVAILABLE", "extra": 1]).get()
        #expect(minimal.message == "Service unavailable")
        #expect(minimal.retryable == nil)
        #expect(minimal.shouldRetry)
    }

    @Test("malformed error payloads are issues with paths")
    func parseFailures() {
        guard case .failure(let failure) = WireError.parse(payload: ["message": 1, "retryAfterMs": "soon"]) else {
            Issue.record("should fail")
            return
        }
        #expect(failure.issues.map(\.path.description) == ["payload.code", "payload.message", "payload.retryAfterMs"])
        guard case .failure = WireError.parse(payload: "oops") else {
            Issue.record("should fail")
            return
        }
    }

    @Test("a validation failure becomes INVALID_ARGUMENT with the issues as details")
    func fromValidation() {
        let failure = ValidationFailure(issues: [
            ValidationIssue(path: JSONPath.payload.appending(key: "text"), message: "required", code: "required"),
        ])
        let error = WireError(validation: failure)
        #expect(error.code == .invalidArgument)
        #expect(error.details == ["issues": [["path": "payload.text", "message": "required", "code": "required"]]])
    }
}

@Suite("Error detail sanitising")
struct SanitizerTests {
    let sanitizer = ErrorDetailsSanitizer.default

    @Test("secret-looking keys are dropped whatever their case or separators", arguments: [
        "password", "userPassword", "PASSWD", "token", "Authorization", "cookie", "Set-Cookie", "secret", "clientSecret",
        "apiKey", "api_key", "X-Api-Key", "accessToken", "access_token", "refreshToken", "refresh_token", "credentials",
        "auth", "bearer", "jwt", "privateKey", "id_token",
    ])
    func dropsSecrets(key: String) {
        #expect(sanitizer.isSecret(key))
        #expect(sanitizer.sanitize([key: "x", "roomId": "r1"]) == ["roomId": "r1"])
    }

    @Test("ordinary keys that merely resemble secrets are kept", arguments: ["roomId", "tokensRemaining", "authorName", "keyboard", "cost", "passage"])
    func keepsOrdinaryKeys(key: String) {
        #expect(!sanitizer.isSecret(key))
    }

    @Test("nested objects and objects inside arrays are cleaned")
    func nested() {
        let details: JSONObject = ["user": ["name": "a", "password": "p"], "list": [["token": "t", "id": 1], 2]]
        #expect(sanitizer.sanitize(details) == ["user": ["name": "a"], "list": [["id": 1], 2]])
    }

    @Test("values whose JSON exceeds 500 bytes are dropped; smaller ones kept")
    func oversized() {
        let big = String(repeating: "x", count: 600)
        let details: JSONObject = ["blob": .string(big), "ok": "small", "bigArray": .array(Array(repeating: 12345, count: 200)),
                                   "edge": .string(String(repeating: "y", count: 498))]
        #expect(sanitizer.sanitize(details).keys == ["ok", "edge"])
    }

    @Test("a sanitised error with nothing left loses its details")
    func emptyAfterSanitising() {
        let error = WireError(code: .unauthenticated, details: ["token": "abc"]).sanitized()
        #expect(error.details == nil)
        #expect(error.payload["details"] == nil)
    }
}
