import WSKitClient

/// The commands of `wskit`.
enum Commands {
    /// An envelope `{type, meta, payload}`; `payloadText` must be JSON.
    static func envelope(type: String, payloadText: String?, meta: JSONObject) throws(CLIFailure) -> JSONObject {
        var envelope: JSONObject = ["type": .string(type)]
        if !meta.isEmpty { envelope["meta"] = .object(meta) }
        if let payloadText {
            do {
                envelope["payload"] = try JSON.parse(payloadText)
            } catch {
                throw .usage("the payload is not JSON (\(error)): \(payloadText)")
            }
        }
        return envelope
    }

    /// `connect URL`: stdin lines out, frames in, until stdin ends or the server closes.
    static func connect(_ options: CLIOptions) async throws(CLIFailure) {
        guard options.arguments.count == 1 else { throw .usage("connect wants URL") }
        let session = try EnvelopeSession(url: try options.url(options.arguments[0]), options: options)
        try await session.open()
        session.readStandardInput()
        while let event = await session.next() {
            switch event {
            case .frame(let text): printLine(text)
            case .line(let line):
                let trimmed = Substring(line).trimmingSpaces
                if trimmed.isEmpty { continue }
                if trimmed.hasPrefix("{") {
                    // A whole envelope, sent as typed (the server judges it).
                    session.connection.send(text: trimmed)
                } else {
                    let parts = trimmed.split(separator: " ", maxSplits: 1)
                    do throws(CLIFailure) {
                        let envelope = try envelope(
                            type: String(parts[0]), payloadText: parts.count > 1 ? String(parts[1]) : nil, meta: options.meta)
                        session.send(.object(envelope))
                    } catch {
                        printError(error.message ?? "wskit: invalid line")
                    }
                }
            case .inputEnded:
                // Answers to the last lines may still be on their way: wait `--wait` for them.
                session.deadline(milliseconds: options.waitMs)
            case .timeout:
                await session.close()
                return
            case .closed(let info):
                if info.cause == .serverClosed { return }
                throw .connection(info.description)
            case .opened: continue
            }
        }
    }

    /// `send URL TYPE [JSON]`: one message; an `ERROR` within `--wait` fails the command.
    static func send(_ options: CLIOptions) async throws(CLIFailure) {
        guard (2...3).contains(options.arguments.count) else { throw .usage("send wants URL TYPE [JSON]") }
        let envelope = try envelope(
            type: options.arguments[1], payloadText: options.arguments.count > 2 ? options.arguments[2] : nil, meta: options.meta)
        let session = try EnvelopeSession(url: try options.url(options.arguments[0]), options: options)
        try await session.open()
        session.send(.object(envelope))
        session.deadline(milliseconds: options.waitMs)
        while let event = await session.next() {
            switch event {
            case .frame(let text):
                printLine(text)
                if (try? JSON.parse(text))?["type"]?.stringValue == ReservedType.error {
                    await session.close()
                    throw .serverError
                }
            case .timeout:
                await session.close()
                return
            case .closed(let info): throw .connection(info.description)
            default: continue
            }
        }
    }

    /// `call URL TYPE [JSON]`: an RPC; progress and the reply printed, the exit status from the
    /// outcome.
    static func call(_ options: CLIOptions) async throws(CLIFailure) {
        guard (2...3).contains(options.arguments.count) else { throw .usage("call wants URL TYPE [JSON]") }
        let correlationId = "wskit-\(UInt32.random(in: 1...UInt32.max))"
        var meta = options.meta
        meta["correlationId"] = .string(correlationId)
        meta["timeoutMs"] = .number(Double(options.timeoutMs))
        let envelope = try envelope(
            type: options.arguments[1], payloadText: options.arguments.count > 2 ? options.arguments[2] : nil, meta: meta)
        let session = try EnvelopeSession(url: try options.url(options.arguments[0]), options: options)
        try await session.open()
        session.send(.object(envelope))
        session.deadline(milliseconds: options.timeoutMs + 1000)
        while let event = await session.next() {
            switch event {
            case .frame(let text):
                guard let frame = try? JSON.parse(text), frame["meta"]?["correlationId"]?.stringValue == correlationId
                    || frame["type"]?.stringValue == ReservedType.error
                else { continue }
                printLine(text)
                switch frame["type"]?.stringValue {
                case ReservedType.rpcProgress: continue
                case ReservedType.rpcError, ReservedType.error:
                    await session.close()
                    throw .serverError
                default:
                    await session.close()
                    return
                }
            case .timeout:
                session.send(["type": .string(ReservedType.abort), "meta": ["correlationId": .string(correlationId)]])
                await session.close()
                throw .timeout("no reply to \(options.arguments[1]) within \(options.timeoutMs) ms")
            case .closed(let info): throw .connection(info.description)
            default: continue
            }
        }
    }
}
