import Testing
@testable import WSKitClient

@Suite("Offline queue: bounded, drop-newest / drop-oldest / off, FIFO")
struct OfflineQueueTests {
    @Test("drop-newest refuses the new element when full")
    func dropNewest() {
        var queue = OfflineQueue<Int>(policy: .dropNewest, capacity: 3)
        for value in 1 ... 3 { guard case .queued = queue.enqueue(value) else { Issue.record("not queued"); return } }
        guard case .rejected = queue.enqueue(4) else { Issue.record("4 should be rejected"); return }
        #expect(queue.drain() == [1, 2, 3])
        #expect(queue.isEmpty)
    }

    @Test("drop-oldest evicts the oldest element and reports it")
    func dropOldest() {
        var queue = OfflineQueue<Int>(policy: .dropOldest, capacity: 3)
        for value in 1 ... 3 { _ = queue.enqueue(value) }
        guard case .queuedEvicting(let evicted) = queue.enqueue(4) else { Issue.record("no eviction"); return }
        #expect(evicted == 1)
        guard case .queuedEvicting(2) = queue.enqueue(5) else { Issue.record("2 not evicted"); return }
        #expect(queue.count == 3)
        #expect(queue.drain() == [3, 4, 5])
    }

    @Test("off queues nothing; capacity 0 queues nothing")
    func off() {
        var off = OfflineQueue<Int>(policy: .off, capacity: 10)
        guard case .rejected = off.enqueue(1) else { Issue.record("off queued"); return }
        var empty = OfflineQueue<Int>(policy: .dropOldest, capacity: 0)
        guard case .rejected = empty.enqueue(1) else { Issue.record("capacity 0 queued"); return }
    }

    @Test("order survives many evictions and removals")
    func longRun() {
        var queue = OfflineQueue<Int>(policy: .dropOldest, capacity: 100)
        for value in 0 ..< 1000 { _ = queue.enqueue(value) }
        queue.removeAll { $0 % 2 == 0 }
        #expect(queue.drain() == Array(stride(from: 901, to: 1000, by: 2)))
    }
}
