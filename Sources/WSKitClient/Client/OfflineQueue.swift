/// A bounded FIFO of what was sent while offline, flushed in order when the connection opens.
struct OfflineQueue<Element> {
    /// What `enqueue` did.
    enum Outcome {
        /// Queued.
        case queued
        /// Queued, after evicting the oldest element (`.dropOldest`).
        case queuedEvicting(Element)
        /// Not queued: full under `.dropNewest`, or the policy is `.off`.
        case rejected
    }

    let policy: OfflineQueuePolicy
    let capacity: Int
    private(set) var elements: [Element] = []
    private var head = 0

    init(policy: OfflineQueuePolicy, capacity: Int) {
        self.policy = policy
        self.capacity = max(0, capacity)
    }

    var count: Int { elements.count - head }
    var isEmpty: Bool { count == 0 }

    mutating func enqueue(_ element: Element) -> Outcome {
        guard policy != .off, capacity > 0 else { return .rejected }
        if count < capacity {
            elements.append(element)
            return .queued
        }
        switch policy {
        case .dropNewest, .off:
            return .rejected
        case .dropOldest:
            let evicted = elements[head]
            head += 1
            elements.append(element)
            compact()
            return .queuedEvicting(evicted)
        }
    }

    /// Removes and returns everything, oldest first.
    mutating func drain() -> [Element] {
        let all = Array(elements[head...])
        elements.removeAll()
        head = 0
        return all
    }

    /// Removes the elements matching `predicate`, keeping the order of the rest.
    mutating func removeAll(where predicate: (Element) -> Bool) {
        compact(force: true)
        elements.removeAll(where: predicate)
    }

    private mutating func compact(force: Bool = false) {
        guard head > 0, force || head >= 64 && head * 2 >= elements.count else { return }
        elements.removeFirst(head)
        head = 0
    }
}
