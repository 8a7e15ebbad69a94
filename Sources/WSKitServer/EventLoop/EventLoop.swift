import CWSKitShims
import Glibc
import Synchronization

/// One thread, one poller, one read buffer: the unit of concurrency of the server (ADR 0002).
///
/// Every socket belongs to exactly one loop and all its callbacks run on that loop's thread, so
/// connection state needs no locks. Code on other threads reaches a loop through `execute(_:)`,
/// which wakes it with an eventfd. The loop is also a `SerialExecutor` and a `TaskExecutor`, so
/// Swift concurrency can run handler tasks on the loop thread without a thread hop.
///
/// One iteration: wait for readiness (or the next tick), handle every ready socket, run work
/// submitted from other threads and jobs enqueued on this loop, fire the coarse timer if due,
/// then flush every socket that produced output — one `write` per socket per iteration.
public final class EventLoop: @unchecked Sendable {
    /// The loop's position in its group (0-based).
    public let index: Int
    /// Monotonic time in nanoseconds, read once at the start of each iteration.
    public private(set) var now: UInt64
    /// The coarse timer's tick counter; it advances once per `tickInterval` (ADR 0005).
    public private(set) var tick: UInt32 = 1
    /// The coarse timer's period in nanoseconds.
    public let tickInterval: UInt64

    let poller: EpollPoller
    /// The single read buffer every socket of this loop reads into.
    let readBuffer: UnsafeMutableRawBufferPointer
    private let wakeFD: Int32
    private var sockets: [LoopSocket?] = []
    private var nextGeneration: UInt32 = 1
    private var flushList: [LoopSocket] = []
    private var flushListSpare: [LoopSocket] = []
    private var localWork: [() -> Void] = []
    private var localJobs: [UnownedJob] = []
    private var tickHandlers: [(UInt32) -> Void] = []
    private var nextTickAt: UInt64
    private var running = true
    private var threadID: UInt = 0
    private let inbox = Mutex<Inbox>(Inbox())
    private let sleeping = Atomic<Bool>(false)

    private struct Inbox {
        var work: [@Sendable () -> Void] = []
        var jobs: [UnownedJob] = []
        var isEmpty: Bool { work.isEmpty && jobs.isEmpty }
    }

    /// Creates a loop; `run()` must then be called on the thread that will own it.
    init(index: Int, readBufferSize: Int, tickInterval: UInt64) throws(ServerError) {
        self.index = index
        self.tickInterval = tickInterval
        poller = try EpollPoller()
        wakeFD = cwskit_eventfd_create()
        guard wakeFD >= 0 else { throw ServerError.system("eventfd", errno) }
        readBuffer = .allocate(byteCount: readBufferSize, alignment: 16)
        now = cwskit_monotonic_ns()
        nextTickAt = now &+ tickInterval
        _ = poller.add(wakeFD, interest: .readable, token: 0)
    }

    deinit {
        poller.close()
        Glibc.close(wakeFD)
        readBuffer.deallocate()
    }

    /// Whether the caller runs on this loop's thread.
    public var inEventLoop: Bool { cwskit_thread_self() == threadID }

    /// Runs `work` on the loop thread: at once in order if called from it (at the end of the
    /// current iteration step), otherwise after a wake-up.
    public func execute(_ work: @escaping @Sendable () -> Void) {
        if inEventLoop {
            localWork.append(work)
        } else {
            inbox.withLock { $0.work.append(work) }
            wakeIfSleeping()
        }
    }

    /// Calls `handler` on every tick of the coarse timer, on the loop thread.
    public func onTick(_ handler: @escaping (UInt32) -> Void) {
        precondition(inEventLoop || threadID == 0, "onTick must be called on the loop")
        tickHandlers.append(handler)
    }

    private func wakeIfSleeping() {
        if sleeping.load(ordering: .sequentiallyConsistent) { _ = cwskit_eventfd_signal(wakeFD) }
    }

    // MARK: Sockets

    /// Registers a socket and gives it a fresh generation. Returns false if epoll refused it.
    func register(_ socket: LoopSocket, interest: PollEvents) -> Bool {
        let fd = Int(socket.fd)
        if fd >= sockets.count { sockets.append(contentsOf: repeatElement(nil, count: max(fd + 1 - sockets.count, sockets.count))) }
        nextGeneration &+= 1
        if nextGeneration == 0 { nextGeneration = 1 }
        socket.generation = nextGeneration
        socket.interest = interest.rawValue
        guard poller.add(socket.fd, interest: interest, token: token(of: socket)) else { return false }
        sockets[fd] = socket
        return true
    }

    /// Changes what the socket is polled for; no system call when nothing changes.
    func setInterest(_ socket: LoopSocket, _ interest: PollEvents) {
        guard socket.interest != interest.rawValue, socket.fd >= 0 else { return }
        socket.interest = interest.rawValue
        _ = poller.modify(socket.fd, interest: interest, token: token(of: socket))
    }

    /// Unregisters and closes the socket's fd. Idempotent.
    func closeSocket(_ socket: LoopSocket) {
        let fd = socket.fd
        guard fd >= 0 else { return }
        poller.remove(fd)
        if Int(fd) < sockets.count, sockets[Int(fd)] === socket { sockets[Int(fd)] = nil }
        socket.fd = -1
        Glibc.close(fd)
    }

    /// Adds the socket to this iteration's flush list (once).
    @inline(__always)
    func scheduleFlush(_ socket: LoopSocket) {
        if !socket.queuedForFlush {
            socket.queuedForFlush = true
            flushList.append(socket)
        }
    }

    /// Every socket currently registered (listeners included).
    func forEachSocket(_ body: (LoopSocket) -> Void) {
        for case let socket? in sockets { body(socket) }
    }

    private func token(of socket: LoopSocket) -> UInt64 {
        UInt64(socket.generation) << 32 | UInt64(UInt32(bitPattern: socket.fd))
    }

    // MARK: Running

    /// Runs iterations until `stop()`; call on the loop's own thread.
    func run() {
        threadID = cwskit_thread_self()
        while running {
            iterate()
        }
        for case let socket? in sockets { socket.forceClose() }
        drainWork()
    }

    /// Asks the loop to return from `run()` after the current iteration.
    func stop() {
        execute { [self] in running = false }
    }

    private func iterate() {
        var timeout: Int32
        sleeping.store(true, ordering: .sequentiallyConsistent)
        if !localWork.isEmpty || !localJobs.isEmpty || !inbox.withLock({ $0.isEmpty }) {
            timeout = 0
        } else {
            let current = cwskit_monotonic_ns()
            timeout = current >= nextTickAt ? 0 : Int32(min((nextTickAt - current) / 1_000_000 + 1, 60_000))
        }
        let n = poller.wait(timeoutMilliseconds: timeout) { token, events in
            self.dispatch(token: token, events: events)
        }
        sleeping.store(false, ordering: .sequentiallyConsistent)
        if n < 0 && errno != EINTR { return }
        now = cwskit_monotonic_ns()
        drainWork()
        if now >= nextTickAt {
            tick &+= 1
            if tick == 0 { tick = 1 }
            nextTickAt = now &+ tickInterval
            fireTimers()
            drainWork()
        }
        flushAll()
    }

    private func dispatch(token: UInt64, events: PollEvents) {
        if token == 0 {
            cwskit_eventfd_drain(wakeFD)
            return
        }
        let fd = Int(UInt32(truncatingIfNeeded: token))
        let generation = UInt32(truncatingIfNeeded: token >> 32)
        guard fd < sockets.count, let socket = sockets[fd], socket.generation == generation else { return }
        if events.contains(.writable) { socket.writable() }
        if socket.fd >= 0, !events.isDisjoint(with: [.readable, .error, .hangup]) { socket.readable() }
    }

    private func drainWork() {
        while true {
            let (remote, remoteJobs) = inbox.withLock { inbox -> ([@Sendable () -> Void], [UnownedJob]) in
                if inbox.isEmpty { return ([], []) }
                defer { inbox = Inbox() }
                return (inbox.work, inbox.jobs)
            }
            if remote.isEmpty, remoteJobs.isEmpty, localWork.isEmpty, localJobs.isEmpty { return }
            for work in remote { work() }
            for job in remoteJobs { run(job) }
            while !localWork.isEmpty || !localJobs.isEmpty {
                let work = localWork
                localWork.removeAll(keepingCapacity: true)
                for item in work { item() }
                let jobs = localJobs
                localJobs.removeAll(keepingCapacity: true)
                for job in jobs { run(job) }
            }
        }
    }

    private func fireTimers() {
        let current = tick
        for case let socket? in sockets where socket.deadlineTick != 0 && current &- socket.deadlineTick < UInt32.max / 2 {
            socket.timerFired()
        }
        for handler in tickHandlers { handler(current) }
    }

    private func flushAll() {
        while !flushList.isEmpty {
            swap(&flushList, &flushListSpare)
            for socket in flushListSpare {
                socket.queuedForFlush = false
                socket.flush()
            }
            flushListSpare.removeAll(keepingCapacity: true)
        }
    }

    /// Converts a duration in nanoseconds to a tick deadline (at least one tick ahead).
    func deadline(after nanoseconds: UInt64) -> UInt32 {
        let ticks = max(1, (nanoseconds + tickInterval - 1) / tickInterval)
        var deadline = tick &+ UInt32(min(ticks, UInt64(UInt32.max / 4)))
        if deadline == 0 { deadline = 1 }
        return deadline
    }
}

// MARK: - Swift concurrency executor

extension EventLoop: SerialExecutor, TaskExecutor {
    /// Enqueues a job: on the loop thread it runs later in this iteration, without a syscall.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        if inEventLoop {
            localJobs.append(job)
        } else {
            inbox.withLock { $0.jobs.append(job) }
            wakeIfSleeping()
        }
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    public func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }

    public func checkIsolated() {
        precondition(inEventLoop, "not on the event loop's thread")
    }

    private func run(_ job: UnownedJob) {
        job.runSynchronously(isolatedTo: asUnownedSerialExecutor(), taskExecutor: asUnownedTaskExecutor())
    }
}
