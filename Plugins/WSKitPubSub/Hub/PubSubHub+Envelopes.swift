import WSKitContract
import WSKitRouter

/// What a publish carries, before the hub checked and framed it.
@usableFromInline
enum PublishContent: Sendable {
    /// A typed message: the envelope is serialised once by the hub (with the server's
    /// `meta.timestamp`).
    case envelope(type: String, payload: JSONValue?, meta: JSONObject)
    /// Bytes sent as they are, as one text (`binary: false`, must be UTF-8) or binary frame.
    case raw([UInt8], binary: Bool)
}

extension PubSubHub {
    /// Builds the message for a publish: topic checks, the envelope serialised once (with the
    /// server's `meta.timestamp`; `excludeClientId` is never sent) or the raw bytes checked, the
    /// size limit.
    func prepare(
        _ content: PublishContent, to topic: String, timestamp: Int64, exclude: String?, publisher: ConnectionCore?
    ) -> Result<PubSubMessage, PublishError> {
        if case let .envelope(type, _, _) = content, ReservedType.isReserved(type) {
            return .failure(PublishError(
                .validation, topic: topic, message: "\"\(type)\" is a reserved type and cannot be published"))
        }
        let name: String
        switch checkTopic(topic, clientId: publisher?.clientId, connection: publisher) {
        case let .success(checked): name = checked
        case let .failure(error): return .failure(error)
        }
        switch content {
        case let .envelope(type, payload, meta):
            var extra = meta
            if !extra.isEmpty {
                extra["excludeClientId"] = nil
                if streams.rule(for: name) != nil { for key in StreamStamp.keys { extra[key] = nil } }
            }
            var body: [UInt8] = []
            Envelope.outbound(type: type, payload: payload, timestamp: timestamp, extraMeta: extra).serialize(into: &body)
            if let error = checkSize(body.count, topic: name) { return .failure(error) }
            return .success(PubSubMessage(topic: name, kind: .text, body: body, excludeClientId: exclude, origin: instanceId))
        case let .raw(bytes, binary):
            if let error = checkSize(bytes.count, topic: name) { return .failure(error) }
            if !binary, !bytes.withUnsafeBytes(Self.isValidUTF8) {
                return .failure(PublishError(.validation, topic: name, message: "Text messages must be valid UTF-8"))
            }
            return .success(PubSubMessage(
                topic: name, kind: binary ? .binary : .text, body: bytes, excludeClientId: exclude, origin: instanceId))
        }
    }

    /// A failure found before publishing (counted).
    @usableFromInline
    func failure(_ error: PublishError) -> PublishResult {
        counters.failedPublishes.add(1, ordering: .relaxed)
        return .failed(error)
    }

    /// Normalises, validates and authorises a publish's topic.
    func checkTopic(_ topic: String, clientId: String?, connection: ConnectionCore?) -> Result<String, PublishError> {
        let name = configuration.topicRules.normalize(topic)
        if let reason = configuration.topicRules.check(name) {
            return .failure(PublishError(.invalidTopic, topic: name, reason: reason, message: "Invalid topic: \(reason)"))
        }
        if let authorize = configuration.authorize,
           !authorize(TopicAccess(action: .publish, topic: name, clientId: clientId, connection: connection)) {
            return .failure(PublishError(.aclPublish, topic: name, message: "Not allowed to publish to \"\(name)\""))
        }
        return .success(name)
    }

    private func checkSize(_ count: Int, topic: String) -> PublishError? {
        guard count > configuration.maxMessageBytes else { return nil }
        return PublishError(
            .payloadTooLarge, topic: topic, message: "The message is \(count) bytes (at most \(configuration.maxMessageBytes))")
    }
}

extension PubSubHub {
    /// Whether `bytes` are well-formed UTF-8 (no overlong forms, surrogates or code points beyond
    /// U+10FFFF), as a WebSocket text frame requires: the standard library's validating decoder,
    /// without allocating.
    static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}
