import WSKitContract
import WSKitPubSub

/// A `$ws:presence_diff` as the message fan-out delivers: the envelope serialised once (then
/// framed once by ``FanOut``) for every subscriber of the room on this instance.
enum PresenceDiffMessage {
    /// `{"type":"$ws:presence_diff","meta":{"topic":…,"timestamp":…},"payload":<diff>}` as a
    /// text message for `room`.
    static func make(room: String, diff: [UInt8], timestamp: Int64) -> PubSubMessage {
        var body: [UInt8] = []
        body.reserveCapacity(diff.count + room.utf8.count + 80)
        Envelope.writeOutboundHead(
            type: PresenceWire.diff, correlationId: nil, timestamp: timestamp,
            extraMeta: [PresenceWire.topicKey: .string(room)], into: &body)
        body.append(contentsOf: PresenceHub.payloadMember)
        body.append(contentsOf: diff)
        body.append(UInt8(ascii: "}"))
        return PubSubMessage(topic: room, kind: .text, body: body)
    }
}
