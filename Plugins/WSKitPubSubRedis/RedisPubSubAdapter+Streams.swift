import WSKitPubSub
import WSKitRedis
import WSKitRouter

/// Streams kept in Redis (``StreamingPubSubAdapter``, ADR 0052): append and publish in one Lua
/// step, the epoch in a Redis hash, so every instance sees the same offsets and a client that
/// reconnects to another instance recovers from the same stream.
extension RedisPubSubAdapter: StreamingPubSubAdapter {
    /// Appends to the topic's stream in Redis and publishes, atomically; waits for Redis.
    public func publish(_ message: PubSubMessage, appendingTo rule: HistoryRule) async -> Result<PubSubAcknowledgement, PubSubAdapterError> {
        guard reserve() else { return .failure(overloaded()) }
        defer { release() }
        do throws(RedisError) {
            let reply = try await connection.evaluate(
                RedisStreamScripts.publish, keys: keys(message.topic), arguments: publishArguments(message, rule))
            let receivers = reply.array.flatMap { $0.count == 3 ? $0[2].int : nil }.map(Int.init)
            return .success(PubSubAcknowledgement(instancesReached: receivers))
        } catch {
            return .failure(Self.adapterError(error))
        }
    }

    /// ``publish(_:appendingTo:)`` without waiting (queued in call order before this returns).
    public func post(_ message: PubSubMessage, appendingTo rule: HistoryRule) -> Result<Void, PubSubAdapterError> {
        guard connection.state == .connected else {
            return .failure(PubSubAdapterError(.unavailable, adapter: name, "Redis is not connected"))
        }
        guard reserve() else { return .failure(overloaded()) }
        let keys = keys(message.topic)
        let arguments = publishArguments(message, rule)
        let topic = message.topic
        let connection = connection
        let relay = relay
        Task.immediate { [self] in
            defer { release() }
            do throws(RedisError) {
                _ = try await connection.evaluate(RedisStreamScripts.publish, keys: keys, arguments: arguments)
            } catch {
                relay.report(.publishFailed(topic: topic, Self.adapterError(error)))
            }
        }
        return .success(())
    }

    /// Reads the topic's stream and publishes the sync marker, in one step.
    public func history(
        of topic: String, after position: StreamPosition?, rule: HistoryRule, syncToken: String
    ) async -> Result<StreamHistory, PubSubAdapterError> {
        let reply: RedisValue
        do throws(RedisError) {
            reply = try await connection.evaluate(
                RedisStreamScripts.history, keys: keys(topic),
                arguments: [
                    RedisArgument(channel(topic)), RedisArgument(Self.makeEpoch()), RedisArgument(syncToken),
                    RedisArgument(position?.epoch ?? ""), RedisArgument(position?.offset ?? 0),
                ])
        } catch {
            return .failure(Self.adapterError(error))
        }
        guard let parts = reply.array, parts.count == 3, let epoch = parts[0].string,
              let top = parts[1].string.flatMap({ UInt64($0) }), let list = parts[2].array
        else {
            return .failure(PubSubAdapterError(.failed, adapter: name, "unexpected history reply: \(reply)"))
        }
        let now = SystemClock().nowMs
        let ttl = rule.ttl.map { $0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000 }
        var entries: [StreamHistory.Entry] = []
        entries.reserveCapacity(list.count)
        for item in list {
            guard case let .bulkString(bytes) = item, let (offset, time, encoded) = RedisStreamScripts.entry(bytes),
                  let message = PubSubMessage(decoding: encoded, topic: topic)
            else {
                return .failure(PubSubAdapterError(.failed, adapter: name, "an undecodable history entry in \(topic)"))
            }
            // Only an expired prefix is dropped (clocks of publishers may differ slightly).
            if let ttl, entries.isEmpty, now - time >= ttl { continue }
            entries.append(StreamHistory.Entry(offset: offset, message: message))
        }
        return .success(StreamHistory(epoch: epoch, top: top, entries: entries))
    }

    /// The stream's list and hash keys.
    func keys(_ topic: String) -> [RedisArgument] {
        [RedisArgument(channelPrefix + "~history:" + topic), RedisArgument(channelPrefix + "~stream:" + topic)]
    }

    private func publishArguments(_ message: PubSubMessage, _ rule: HistoryRule) -> [RedisArgument] {
        let ttl = rule.ttl.map { $0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000 } ?? 0
        return [
            RedisArgument(channel(message.topic)), .bytes(message.encoded()), RedisArgument(rule.size), RedisArgument(ttl),
            RedisArgument(Self.makeEpoch()), RedisArgument(SystemClock().nowMs),
        ]
    }

    /// A new random epoch: 16 lowercase hex digits.
    static func makeEpoch() -> String {
        let digits = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
