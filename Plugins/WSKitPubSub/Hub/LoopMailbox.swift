import Synchronization
import WSKitRouter

/// The deliveries waiting for one event loop: fan-out from another thread appends here and wakes
/// the loop once (one hop per loop, however many subscribers and publishes), and the loop runs
/// them in order. A publish made on the loop itself runs at once, unless earlier deliveries are
/// still waiting (they go first: one loop's deliveries never reorder).
///
/// Bounded: past ``limit`` waiting deliveries, new ones are dropped and counted
/// (``PubSubStatistics/droppedHops``) — a loop that cannot keep up sheds load instead of growing
/// a queue.
package final class LoopMailbox: Sendable {
    /// The loop (weak: a stopped server's loops are not kept alive by the router).
    weak let loop: (any DeliveryLoop)?
    /// Waiting deliveries and whether a drain is scheduled on the loop.
    private let queue = Mutex(Queue())
    private let limit: Int
    private let counters: HubCounters

    private struct Queue {
        var items: [Delivery] = []
        var scheduled = false
    }

    init(loop: any DeliveryLoop, limit: Int, counters: HubCounters) {
        self.loop = loop
        self.limit = limit
        self.counters = counters
    }

    /// Runs `delivery` now (on the loop, nothing waiting) or queues it for the loop.
    package func submit(_ delivery: Delivery) {
        guard let loop else {
            counters.droppedHops.add(1, ordering: .relaxed)
            return
        }
        if loop.inEventLoop, queue.withLock({ !$0.scheduled }) {
            delivery.run()
            return
        }
        let schedule = queue.withLock { queue -> Bool? in
            if queue.items.count >= limit { return nil }
            queue.items.append(delivery)
            if queue.scheduled { return false }
            queue.scheduled = true
            return true
        }
        switch schedule {
        case nil: counters.droppedHops.add(1, ordering: .relaxed)
        case true?: loop.execute { [self] in drain() }
        case false?: break
        }
    }

    /// Runs what is waiting, in order, until nothing is (on the loop).
    private func drain() {
        while true {
            let batch = queue.withLock { queue -> [Delivery] in
                if queue.items.isEmpty {
                    queue.scheduled = false
                    return []
                }
                let batch = queue.items
                queue.items = []
                return batch
            }
            if batch.isEmpty { return }
            for delivery in batch { delivery.run() }
        }
    }
}
