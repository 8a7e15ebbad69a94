import WSKitBenchRouter
import WSKitContract
import WSKitValidation

/// Micro benchmarks of the wire contract: the JSON envelope and payload validation — each stage
/// of the inbound path on its own (parse; validate with plain `Codable`, constrained `Codable`,
/// `Schema`), then together, and the outbound encode. (These replace the library's former
/// `ValidationBenchmark`.)
enum ContractBenchmarks {
    /// `CHAT`'s payload without constraints: what `Codable` decoding alone costs.
    struct PlainChat: Codable, Sendable {
        var text: String
        var roomId: String
        var limit: Int?
        var ratio: Double
        var urgent: Bool
    }

    /// The schema equivalent to `ChatMessage.Payload`'s constraints.
    static let chatSchema = Schema.object([
        "text": .string(length: 1...2000),
        "roomId": .string(pattern: "^[a-z0-9-]+$"),
        "limit": .optional(.integer(range: 1...500)),
        "ratio": .number(range: 0.0...1.0),
        "urgent": .boolean,
    ])

    /// `chatFrame`'s payload, parsed once.
    static func chatPayload(_ benchmark: String) -> JSONValue {
        guard let payload = try? Envelope.parse(chatFrame).payload else { fatalError("\(benchmark): the frame did not parse") }
        return payload
    }

    static func all() -> [MicroBenchmark] {
        [
            MicroBenchmark(name: "envelope.parse", title: "JSON envelope parse (5 fields)") {
                return { n in
                    for _ in 0 ..< n {
                        guard let envelope = try? Envelope.parse(chatFrame) else { fatalError("envelope.parse: the frame did not parse") }
                        Sink.consume(envelope.meta.count)
                    }
                }
            },
            MicroBenchmark(name: "validate.codable", title: "payload validate: plain Codable (5 fields)") {
                let payload = chatPayload("validate.codable")
                let validator = CodableValidator<PlainChat>()
                return { n in
                    for _ in 0 ..< n {
                        guard case .success(let value) = validator.validate(payload, at: .payload) else {
                            fatalError("validate.codable: the payload did not validate")
                        }
                        Sink.consume(value.text.utf8.count)
                    }
                }
            },
            MicroBenchmark(name: "validate.constrained", title: "payload validate: Codable with constraints (5 fields)") {
                let payload = chatPayload("validate.constrained")
                let validator = CodableValidator<ChatMessage.Payload>()
                return { n in
                    for _ in 0 ..< n {
                        guard case .success(let value) = validator.validate(payload, at: .payload) else {
                            fatalError("validate.constrained: the payload did not validate")
                        }
                        Sink.consume(value.text.utf8.count)
                    }
                }
            },
            MicroBenchmark(name: "validate.schema", title: "payload validate: Schema (5 fields)") {
                let payload = chatPayload("validate.schema")
                let validator = chatSchema.validator()
                return { n in
                    for _ in 0 ..< n {
                        guard case .success = validator.validate(payload, at: .payload) else {
                            fatalError("validate.schema: the payload did not validate")
                        }
                        Sink.consume(1)
                    }
                }
            },
            MicroBenchmark(name: "envelope.decode_validate", title: "JSON envelope decode + validate (5 fields)") {
                let validator = CodableValidator<ChatMessage.Payload>()
                return { n in
                    for _ in 0 ..< n {
                        guard let envelope = try? Envelope.parse(chatFrame), let payload = envelope.payload,
                              case .success(let value) = validator.validate(payload, at: .payload) else {
                            fatalError("envelope.decode_validate: the frame did not validate")
                        }
                        Sink.consume(value.text.utf8.count)
                    }
                }
            },
            MicroBenchmark(name: "envelope.encode", title: "JSON envelope encode (reply)") {
                let payload: JSONValue? = chatPayload("envelope.encode")
                var buffer: [UInt8] = []
                buffer.reserveCapacity(512)
                return { n in
                    for _ in 0 ..< n {
                        buffer.removeAll(keepingCapacity: true)
                        Envelope.outbound(type: "CHAT_ACK", payload: payload, correlationId: "c1", timestamp: 1_730_450_000_000)
                            .serialize(into: &buffer)
                        Sink.consume(buffer.count)
                    }
                }
            },
        ]
    }
}
