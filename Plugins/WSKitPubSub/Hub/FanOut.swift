import WSKitRouter

/// The one path by which a message reaches the subscribers of this instance, shared by pub/sub
/// and presence (ADR 0051, ADR 0063): the frame is encoded once; each event loop's members get
/// it as one ``Delivery`` on that loop — inline when the caller already runs there and nothing
/// waits, else one hop per loop through its ``LoopMailbox`` — so the frames a subscriber gets in
/// one loop iteration leave in one `send`.
package enum FanOut {
    /// The frame encoder of the first member whose host takes encoded frames (hosts encode
    /// alike: RFC 6455), or `nil` when none does (then only the body is kept, sent as text).
    package static func frameEncoder(of groups: ContiguousArray<LoopGroup>) -> (any FrameEncoder)? {
        for group in groups {
            for member in group.members { if let frames = member.frames { return frames.frameEncoder } }
        }
        return nil
    }

    /// Hands `message` to every member of `groups` but the excluded connection: one delivery
    /// per loop group. Returns the members matched.
    @discardableResult
    package static func deliver(
        _ message: PreparedMessage, to groups: ContiguousArray<LoopGroup>, exclude: String?, counters: HubCounters
    ) -> Int {
        var matched = 0
        for group in groups {
            var count = group.members.count
            if let exclude {
                for member in group.members where member.clientId == exclude { count -= 1 }
                if count == 0 { continue }
            }
            matched += count
            let delivery = Delivery(message: message, members: group.members, exclude: exclude, counters: counters)
            if let mailbox = group.mailbox {
                mailbox.submit(delivery)
            } else {
                delivery.run()
            }
        }
        counters.deliveries.add(matched, ordering: .relaxed)
        return matched
    }
}
