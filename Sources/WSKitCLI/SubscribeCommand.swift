import WSKitClient

extension Commands {
    /// `subscribe URL TOPIC`: subscribes on the wire (`$ws:subscribe`, docs/wire-protocol.md §3;
    /// the server needs `PubSubPlugin(clientSubscriptions: true)`), from `--epoch`/`--offset` when
    /// given, and prints the server's `$ws:subscribed` answer, then every publication of the topic,
    /// one JSON line each. Ends after `--count` publications, after `--duration` ms, or when the
    /// server closes; a refused subscription exits 1.
    static func subscribe(_ options: CLIOptions) async throws(CLIFailure) {
        guard options.arguments.count == 2 else { throw .usage("subscribe wants URL TOPIC") }
        let topic = options.arguments[1]
        var payload: JSONObject = ["topic": .string(topic)]
        switch (options.epoch, options.offset) {
        case (let epoch?, let offset?):
            payload["epoch"] = .string(epoch)
            payload["offset"] = .number(Double(offset))
        case (nil, nil): break
        default: throw .usage("--epoch and --offset go together (the position of the last publication seen)")
        }
        let session = try EnvelopeSession(url: try options.url(options.arguments[0]), options: options)
        try await session.open()
        var request: JSONObject = ["type": "$ws:subscribe", "payload": .object(payload)]
        if !options.meta.isEmpty { request["meta"] = .object(options.meta) }
        session.send(.object(request))
        session.deadline(milliseconds: options.timeoutMs)
        var subscribedTopic: String?
        var received = 0
        if options.count == 0 { return await session.close() }
        while let event = await session.next() {
            switch event {
            case .frame(let text):
                guard let frame = try? JSON.parse(text), let type = frame["type"]?.stringValue else { continue }
                guard let name = subscribedTopic else {
                    // Until the answer, only the answer matters (the subscription is not live yet).
                    guard type == "$ws:subscribed" else { continue }
                    printLine(text)
                    if frame["payload"]?["error"] != nil {
                        await session.close()
                        throw .serverError
                    }
                    subscribedTopic = frame["payload"]?["topic"]?.stringValue ?? topic
                    if let duration = options.durationMs { session.deadline(milliseconds: duration, tag: 1) }
                    continue
                }
                if type == ReservedType.error {
                    printLine(text)
                    continue
                }
                // Publications: application types; on topics with history `meta.topic` names the
                // topic (frames of other topics the connection receives are skipped).
                if ReservedType.isReserved(type) { continue }
                if let frameTopic = frame["meta"]?["topic"]?.stringValue, frameTopic != name { continue }
                printLine(text)
                received += 1
                if let count = options.count, received >= count {
                    await session.close()
                    return
                }
            case .timeout(let tag):
                // Tag 0: the answer's deadline (stale once answered); tag 1: --duration.
                if tag == 0, subscribedTopic != nil { continue }
                await session.close()
                if subscribedTopic == nil { throw .timeout("no answer to $ws:subscribe within \(options.timeoutMs) ms") }
                return
            case .closed(let info):
                if info.cause == .serverClosed { return }
                throw .connection(info.description)
            default: continue
            }
        }
    }
}
