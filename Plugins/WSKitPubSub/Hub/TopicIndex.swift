import WSKitRouter

/// The hub's local index, guarded by its lock: for each topic, its members grouped by event
/// loop — the shape fan-out needs (one group per loop, one hop per group).
package struct TopicIndex {
    /// Topic → its members.
    package var topics: [String: TopicEntry] = [:]
    /// One mailbox per loop seen.
    var mailboxes: [ObjectIdentifier: LoopMailbox] = [:]
    /// Join order across the hub.
    var nextSequence: UInt64 = 0
    /// Local subscriptions.
    var subscriptions = 0
    /// Topics held by recoveries in progress (count per topic): the instance keeps its interest
    /// in them even while they have no member, so that no publication is missed between a
    /// recovery's history read and its join.
    package var pins: [String: Int] = [:]

    package init() {}

    /// Adds `member` to `topic`; returns whether the instance just gained interest in the topic
    /// (its first local member, and no recovery holds it).
    package mutating func insert(_ member: TopicMember, into topic: String) -> Bool {
        nextSequence &+= 1
        subscriptions += 1
        var firstMember = false
        var entry = topics.removeValue(forKey: topic) ?? { firstMember = pins[topic] == nil; return TopicEntry() }()
        let group: Int
        if let existing = entry.groups.firstIndex(where: { $0.mailbox === member.mailbox }) {
            group = existing
        } else {
            entry.groups.append(LoopGroup(mailbox: member.mailbox, members: []))
            group = entry.groups.count - 1
        }
        entry.groups[group].members.append(member)
        entry.count += 1
        member.memberships[topic] = Membership(index: entry.groups[group].members.count - 1, sequence: nextSequence)
        member.order.append(topic)
        topics[topic] = entry
        return firstMember
    }

    /// Removes `member` from `topic`; returns whether the instance just lost interest in the topic
    /// (its last local member, and no recovery holds it).
    /// `nil` when the member was not subscribed.
    /// `updateOrder: false` leaves ``TopicMember/order`` alone (the caller clears it).
    package mutating func remove(_ member: TopicMember, from topic: String, updateOrder: Bool = true) -> Bool? {
        guard let membership = member.memberships.removeValue(forKey: topic) else { return nil }
        subscriptions -= 1
        if updateOrder, let position = member.order.firstIndex(of: topic) { member.order.remove(at: position) }
        guard var entry = topics.removeValue(forKey: topic),
              let group = entry.groups.firstIndex(where: { $0.mailbox === member.mailbox }) else { return pins[topic] == nil }
        let last = entry.groups[group].members.count - 1
        if membership.index != last {
            let moved = entry.groups[group].members[last]
            entry.groups[group].members[membership.index] = moved
            moved.memberships[topic]?.index = membership.index
        }
        entry.groups[group].members.removeLast()
        if entry.groups[group].members.isEmpty { entry.groups.remove(at: group) }
        entry.count -= 1
        if entry.count == 0 { return pins[topic] == nil }
        topics[topic] = entry
        return false
    }

    /// A recovery holds `topic`; returns whether the instance just gained interest in it (no
    /// member and no other recovery had it).
    package mutating func pin(_ topic: String) -> Bool {
        defer { pins[topic, default: 0] += 1 }
        return topics[topic] == nil && pins[topic] == nil
    }

    /// A recovery lets `topic` go; returns whether the instance just lost interest in it (no
    /// member and no other recovery holds it).
    package mutating func unpin(_ topic: String) -> Bool {
        guard let count = pins[topic] else { return false }
        pins[topic] = count > 1 ? count - 1 : nil
        return pins[topic] == nil && topics[topic] == nil
    }

    /// The mailbox for `loop`, created on first use.
    package mutating func mailbox(for loop: any DeliveryLoop, limit: Int, counters: HubCounters) -> LoopMailbox {
        let key = ObjectIdentifier(loop)
        if let existing = mailboxes[key], existing.loop === loop { return existing }
        let mailbox = LoopMailbox(loop: loop, limit: limit, counters: counters)
        mailboxes[key] = mailbox
        return mailbox
    }
}

/// One topic's local members.
package struct TopicEntry {
    /// Members grouped by loop (usually one group per event loop).
    package var groups: ContiguousArray<LoopGroup> = []
    /// All members.
    package var count = 0
}

/// The members of one topic on one loop.
package struct LoopGroup: Sendable {
    /// The loop's mailbox, or `nil` for members delivered inline.
    package let mailbox: LoopMailbox?
    /// The members (order is not meaningful: removal swaps the last one in).
    package var members: ContiguousArray<TopicMember>
}
