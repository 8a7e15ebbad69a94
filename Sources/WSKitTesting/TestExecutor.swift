import Synchronization

/// A `TaskExecutor` that runs nothing by itself: jobs wait until the harness runs them
/// (``runPending()``), so handler execution in tests is deterministic — a handler runs
/// synchronously up to its first suspension, and continues only when the test settles.
public final class TestExecutor: TaskExecutor {
    private let jobs = Mutex<[UnownedJob]>([])

    /// Creates an executor.
    public init() {}

    /// Queues a job.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
    }

    /// Runs queued jobs (and the jobs they enqueue) until none is left; returns how many ran.
    @discardableResult
    public func runPending() -> Int {
        var count = 0
        while true {
            let batch = jobs.withLock { jobs -> [UnownedJob] in
                let batch = jobs
                jobs = []
                return batch
            }
            if batch.isEmpty { return count }
            for job in batch {
                job.runSynchronously(on: asUnownedTaskExecutor())
                count += 1
            }
        }
    }

    /// Jobs waiting to run.
    public var pendingJobCount: Int { jobs.withLock { $0.count } }
}
