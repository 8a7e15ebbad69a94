import WSKitContract
import WSKitValidation

/// Micro benchmarks of the wire contract: the JSON envelope and payload validation.
enum ContractBenchmarks {
    static func all() -> [MicroBenchmark] {
        [
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
                let payload = try! Envelope.parse(chatFrame).payload
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
