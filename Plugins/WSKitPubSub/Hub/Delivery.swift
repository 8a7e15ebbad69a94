/// One message for the members of one loop group: the unit of work a loop runs.
package struct Delivery: Sendable {
    let message: PreparedMessage
    let members: ContiguousArray<TopicMember>
    let exclude: String?
    let counters: HubCounters

    /// Hands the frame to every member but the excluded one.
    package func run() {
        var dropped = 0
        message.withFrame { frame in
            if let exclude {
                for member in members where member.clientId != exclude {
                    if !member.deliver(frame, message) { dropped &+= 1 }
                }
            } else {
                for member in members where !member.deliver(frame, message) { dropped &+= 1 }
            }
        }
        if dropped > 0 { counters.droppedDeliveries.add(dropped, ordering: .relaxed) }
    }
}
