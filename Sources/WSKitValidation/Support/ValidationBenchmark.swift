import WSKitContract

/// A micro-benchmark of the inbound path for a typical 5-field payload: parse the envelope, then
/// validate the payload with each validator. Call it from a release build:
///
/// ```swift
/// let report = ValidationBenchmark.run(iterations: 200_000)
/// print(report)   // parse 0.55 µs, codable 0.60 µs, …
/// ```
public enum ValidationBenchmark {
    /// Nanoseconds per operation for each stage.
    public struct Report: Sendable, CustomStringConvertible {
        /// Parsing the whole envelope (`Envelope.parse`).
        public var envelopeParseNs: Double
        /// `CodableValidator` on a plain `Codable` struct.
        public var codableNs: Double
        /// `CodableValidator` on a ``Validatable`` struct with constraint wrappers.
        public var codableConstrainedNs: Double
        /// `SchemaValidator` with the equivalent constraints.
        public var schemaNs: Double
        /// Serialising the outbound envelope of the same payload.
        public var envelopeSerializeNs: Double

        /// One line per stage.
        public var description: String {
            func format(_ ns: Double) -> String {
                let rounded = (ns * 10).rounded() / 10
                return "\(rounded) ns"
            }
            return """
            envelope parse:        \(format(envelopeParseNs))
            codable validate:      \(format(codableNs))
            codable + constraints: \(format(codableConstrainedNs))
            schema validate:       \(format(schemaNs))
            envelope serialize:    \(format(envelopeSerializeNs))
            """
        }
    }

    struct Plain: Codable, Sendable {
        var text: String
        var roomId: String
        var limit: Int?
        var ratio: Double
        var urgent: Bool
    }

    struct Constrained: Codable, Sendable, Validatable {
        @Length(1...2000) var text: String
        @Pattern("^[a-z0-9-]+$") var roomId: String
        @InRange(1...500) var limit: Int?
        @InRange(0.0...1.0) var ratio: Double
        var urgent: Bool = false
    }

    static let schema = Schema.object([
        "text": .string(length: 1...2000),
        "roomId": .string(pattern: "^[a-z0-9-]+$"),
        "limit": .optional(.integer(range: 1...500)),
        "ratio": .number(range: 0.0...1.0),
        "urgent": .boolean,
    ])

    /// The frame every iteration parses.
    public static let frame = Array(
        #"{"type":"SEND_TEXT","meta":{"correlationId":"8f14e45f-ceea-4e7a-9b7c-1e8f0f2a9d11","timestamp":1730450000000},"payload":{"text":"hello, world","roomId":"room-1","limit":50,"ratio":0.5,"urgent":true}}"#.utf8)

    /// Runs each stage `iterations` times (after a warm-up) and reports the mean cost.
    public static func run(iterations: Int = 100_000) -> Report {
        let clock = ContinuousClock()
        func measure(_ body: () -> Void) -> Double {
            for _ in 0..<max(iterations / 10, 1) { body() }
            let elapsed = clock.measure { for _ in 0..<iterations { body() } }
            let ns = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
            return ns / Double(iterations)
        }
        var sink = 0
        let envelope = try! Envelope.parse(frame)
        let payload = envelope.payload!
        let plain = CodableValidator<Plain>()
        let constrained = CodableValidator<Constrained>()
        let schemaValidator = schema.validator()
        let parse = measure {
            if let parsed = try? Envelope.parse(frame) { sink &+= parsed.meta.count }
        }
        let codable = measure {
            if case .success(let value) = plain.validate(payload, at: .payload) { sink &+= value.text.utf8.count }
        }
        let codableConstrained = measure {
            if case .success(let value) = constrained.validate(payload, at: .payload) { sink &+= value.text.utf8.count }
        }
        let schemaCost = measure {
            if case .success = schemaValidator.validate(payload, at: .payload) { sink &+= 1 }
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(512)
        let serialize = measure {
            buffer.removeAll(keepingCapacity: true)
            Envelope.outbound(type: "TEXT", payload: payload, correlationId: "c", timestamp: 1_730_450_000_000)
                .serialize(into: &buffer)
            sink &+= buffer.count
        }
        precondition(sink != 42, "keeps the work observable")
        return Report(envelopeParseNs: parse, codableNs: codable, codableConstrainedNs: codableConstrained,
                      schemaNs: schemaCost, envelopeSerializeNs: serialize)
    }
}
