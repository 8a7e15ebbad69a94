import WSKitContract
import WSKitRouter

/// The wire subscribe of ``PubSubPlugin/clientSubscriptions`` (docs/wire-protocol.md §9): a
/// client subscribes to topics itself, with the position it saw last, and is answered before
/// the replayed publications.
///
/// - `{"type":"$ws:subscribe","payload":{"topic":"room:1","epoch":"…","offset":42}}` (`epoch` and
///   `offset` optional) → `{"type":"$ws:subscribed","payload":{"topic":"room:1","recovered":true,
///   "epoch":"…","offset":45,"replayed":3}}`, then the replayed publications, then live ones. On
///   failure: `{"type":"$ws:subscribed","payload":{"topic":"room:1","error":{"code":"ACL_SUBSCRIBE","message":"…"}}}`.
/// - `{"type":"$ws:unsubscribe","payload":{"topic":"room:1"}}`: no answer.
enum SubscribeMessages {
    static let subscribe = "$ws:subscribe"
    static let unsubscribe = "$ws:unsubscribe"
    static let subscribed = "$ws:subscribed"

    /// Claims both types.
    static func install<ConnectionData: Sendable, Plugins: PluginSet>(
        into installation: PluginInstallation<ConnectionData, Plugins>, hub: PubSubHub
    ) {
        let clock = installation.clock
        installation.handleReservedType(subscribe) { message in
            handleSubscribe(message, hub: hub, clock: clock)
        }
        installation.handleReservedType(unsubscribe) { message in
            guard let state = message.connection.state(PubSubConnectionState.self),
                  let topic = message.envelope.payload?.objectValue?["topic"]?.stringValue
            else { return }
            _ = hub.unsubscribe([topic], state: state)
        }
    }

    private static func handleSubscribe(_ message: ReservedMessage, hub: PubSubHub, clock: any RouterClock) {
        let connection = message.connection
        let fields = message.envelope.payload?.objectValue
        guard let topic = fields?["topic"]?.stringValue else {
            connection.send(answer(topic: nil, error: ("INVALID_ARGUMENT", "payload.topic must be a string"), clock: clock))
            return
        }
        var position: StreamPosition?
        if let epoch = fields?["epoch"]?.stringValue {
            guard let offset = fields?["offset"]?.intValue, offset >= 0 else {
                connection.send(answer(topic: topic, error: ("INVALID_ARGUMENT", "payload.offset must be a non-negative integer"), clock: clock))
                return
            }
            position = StreamPosition(epoch: epoch, offset: UInt64(offset))
        }
        guard let state = connection.state(PubSubConnectionState.self) else { return }
        let origin = hub.instanceId
        Task {
            do throws(PubSubError) {
                _ = try await hub.subscribe(topic, from: position, state: state, connection: connection) { name, recovery in
                    var body: [UInt8] = []
                    answer(topic: name, recovery: recovery, clock: clock).serialize(into: &body)
                    return PubSubMessage(topic: name, kind: .text, body: body, origin: origin)
                }
            } catch {
                connection.send(answer(topic: topic, error: (error.code.rawValue, error.message), clock: clock))
            }
        }
    }

    private static func answer(topic: String, recovery: StreamRecovery, clock: any RouterClock) -> Envelope {
        var payload: JSONObject = ["topic": .string(topic), "recovered": .bool(recovery.recovered), "replayed": .number(Double(recovery.replayed))]
        if let position = recovery.position {
            payload["epoch"] = .string(position.epoch)
            payload["offset"] = .number(Double(position.offset))
        }
        return Envelope.outbound(type: subscribed, payload: .object(payload), timestamp: clock.nowMs)
    }

    private static func answer(topic: String?, error: (code: String, message: String), clock: any RouterClock) -> Envelope {
        var payload: JSONObject = ["error": .object(["code": .string(error.code), "message": .string(error.message)])]
        if let topic { payload["topic"] = .string(topic) }
        return Envelope.outbound(type: subscribed, payload: .object(payload), timestamp: clock.nowMs)
    }
}
