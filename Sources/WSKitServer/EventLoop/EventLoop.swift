import CWSKitShims
import Glibc
import Synchronization
import WSKitProtocol

/// One thread, one poller, one read buffer: the unit of concurrency of the server (ADR 0002).
///
/// Every socket belongs to exactly one loop and all its callbacks run on that loop's thread, so
/// connection state needs no locks. Code on other threads reaches a loop through `execute(_:)`,
/// which wakes it with an eventfd. The loop is also a `SerialExecutor` and a `TaskExecutor`, so
/// Swift concurrency can run handler tasks on the loop thread without a thread hop.
///
/// One iteration: wait for readiness (or the next tick), handle every ready socket, run work
/// submitted from other threads and jobs enqueued on this loop, fire the coarse timer if due,
/// then flush every socket that produced output — one `send` per socket per iteration.
///
/// With a metrics sink, the loop's connections count messages and bytes in the loop's `tally`
/// (plain integers), which the loop adds to the server's handles before it writes anything and
/// at the end of each iteration (ADR 0126).
public final class EventLoop: @unchecked Sendable {
    /// The loop's position in its group (0-based).
    public let index: Int
    /// Monotonic time in nanoseconds, read once at the start of each iteration.
    public var now: UInt64 { state.pointee.now }
    /// The coarse timer's tick counter; it advances once per `tickInterval` (ADR 0004).
    public var tick: UInt32 { state.pointee.tick }
    /// The coarse timer's period (`ServerConfiguration.timerResolution`).
    public let tickInterval: Duration
    /// `tickInterval` in nanoseconds, the unit of `now` and of deadlines.
    package let tickNanoseconds: UInt64

    let poller: EpollPoller
    /// The single read buffer every socket of this loop reads into.
    let readBuffer: UnsafeMutableRawBufferPointer
    private let wakeFD: Int32
    /// The server's per-message metric handles; nil without a sink. Retained by the loop
    /// (released in `deinit`) and called through `_withUnsafeGuaranteedRef`: publishing then
    /// costs no retain and release per iteration.
    private let metrics: Unmanaged<ServerMetrics>?
    /// The per-message counts of this loop's connections not yet added to `metrics` (nil without
    /// a sink: nothing is counted). Only the loop's thread touches it.
    let tally: UnsafeMutablePointer<MessageTally>?
    /// The loop thread's id, stored once by `run()` and read by any thread in `inEventLoop`
    /// (atomic: a relaxed load is a plain load, and the race on a plain variable was real).
    private let threadID = Atomic<UInt>(0)

    /// The loop's mutable state, reached through a pointer so that the per-event path pays no
    /// dynamic exclusivity checks (see `WebSocket.State`). Only the loop thread touches it.
    private struct State {
        var now: UInt64
        var tick: UInt32 = 1
        var sockets: [LoopSocket?] = []
        var nextGeneration: UInt32 = 1
        var flushList: [LoopSocket] = []
        var flushListSpare: [LoopSocket] = []
        var localWork: [() -> Void] = []
        var localJobs: [UnownedJob] = []
        var tickHandlers: [(UInt32) -> Void] = []
        var nextTickAt: UInt64
        var running = true
    }

    private let state: UnsafeMutablePointer<State>
    private let inbox = Mutex<Inbox>(Inbox())
    private let sleeping = Atomic<Bool>(false)

    private struct Inbox {
        var work: [@Sendable () -> Void] = []
        var jobs: [UnownedJob] = []
        var isEmpty: Bool { work.isEmpty && jobs.isEmpty }
    }

    /// Creates a loop; `run()` must then be called on the thread that will own it.
    init(index: Int, readBufferSize: Int, tickInterval: Duration, metrics: ServerMetrics? = nil) throws(ServerError) {
        self.index = index
        self.metrics = metrics.map(Unmanaged.passRetained)
        if metrics != nil {
            let tally = UnsafeMutablePointer<MessageTally>.allocate(capacity: 1)
            tally.initialize(to: MessageTally())
            self.tally = tally
        } else {
            tally = nil
        }
        self.tickInterval = tickInterval
        tickNanoseconds = max(1, tickInterval.saturatingNanoseconds)
        poller = try EpollPoller()
        wakeFD = cwskit_eventfd_create()
        guard wakeFD >= 0 else { throw ServerError.system("eventfd", errno) }
        readBuffer = .allocate(byteCount: readBufferSize, alignment: 16)
        let now = cwskit_monotonic_ns()
        state = .allocate(capacity: 1)
        state.initialize(to: State(now: now, nextTickAt: now &+ tickNanoseconds))
        _ = poller.add(wakeFD, interest: .readable, token: 0)
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
        tally?.deallocate()
        metrics?.release()
        poller.close()
        Glibc.close(wakeFD)
        readBuffer.deallocate()
    }

    /// Whether the caller runs on this loop's thread.
    public var inEventLoop: Bool { cwskit_thread_self() == threadID.load(ordering: .relaxed) }

    /// Runs `work` on the loop thread: at once in order if called from it (at the end of the
    /// current iteration step), otherwise after a wake-up.
    public func execute(_ work: @escaping @Sendable () -> Void) {
        if inEventLoop {
            state.pointee.localWork.append(work)
        } else {
            inbox.withLock { $0.work.append(work) }
            wakeIfSleeping()
        }
    }

    /// Runs `work` on the loop thread in one FIFO order shared by all threads: unlike `execute`,
    /// work submitted from the loop itself does not run before work other threads submitted
    /// earlier. Used to keep one connection's frames in order across threads.
    func executeInOrder(_ work: @escaping @Sendable () -> Void) {
        inbox.withLock { $0.work.append(work) }
        if !inEventLoop { wakeIfSleeping() }
    }

    /// Calls `handler` on every tick of the coarse timer, on the loop thread.
    public func onTick(_ handler: @escaping (UInt32) -> Void) {
        precondition(inEventLoop || threadID.load(ordering: .relaxed) == 0, "onTick must be called on the loop")
        state.pointee.tickHandlers.append(handler)
    }

    private func wakeIfSleeping() {
        if sleeping.load(ordering: .sequentiallyConsistent) { _ = cwskit_eventfd_signal(wakeFD) }
    }

    // MARK: Sockets

    /// Registers a socket and gives it a fresh generation. Returns false if epoll refused it.
    func register(_ socket: LoopSocket, interest: PollEvents) -> Bool {
        let fd = Int(socket.fd)
        if fd >= state.pointee.sockets.count { state.pointee.sockets.append(contentsOf: repeatElement(nil, count: max(fd + 1 - state.pointee.sockets.count, state.pointee.sockets.count))) }
        state.pointee.nextGeneration &+= 1
        if state.pointee.nextGeneration == 0 { state.pointee.nextGeneration = 1 }
        socket.generation = state.pointee.nextGeneration
        socket.interest = interest.rawValue
        guard poller.add(socket.fd, interest: interest, token: token(of: socket)) else { return false }
        state.pointee.sockets[fd] = socket
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
        if Int(fd) < state.pointee.sockets.count, state.pointee.sockets[Int(fd)] === socket { state.pointee.sockets[Int(fd)] = nil }
        socket.fd = -1
        Glibc.close(fd)
    }

    /// Hands a registered socket's fd to `successor` (a handshake to its `WebSocket`): the same
    /// epoll registration, interest and generation, so the fd's next events reach `successor`.
    /// `socket` keeps no fd and is dropped by the loop.
    func transfer(_ socket: LoopSocket, to successor: LoopSocket) {
        let fd = Int(socket.fd)
        precondition(fd >= 0 && successor.fd == socket.fd && state.pointee.sockets[fd] === socket)
        successor.generation = socket.generation
        successor.interest = socket.interest
        state.pointee.sockets[fd] = successor
        socket.fd = -1
    }

    /// Reads and drops what the peer sent on `fd` and was never read (bounded). Closing a socket
    /// with unread input makes the kernel send RST instead of FIN, and an RST makes the peer's
    /// kernel discard data it has not read yet — such as our close frame or HTTP response.
    func discardUnreadInput(_ fd: Int32) {
        guard fd >= 0 else { return }
        let buffer = readBuffer
        for _ in 0 ..< 16 {
            let n = Glibc.recv(fd, buffer.baseAddress, buffer.count, 0)
            if n <= 0 { return }
        }
    }

    /// Adds the socket to this iteration's flush list (once).
    @inline(__always)
    func scheduleFlush(_ socket: LoopSocket) {
        if !socket.queuedForFlush {
            socket.queuedForFlush = true
            state.pointee.flushList.append(socket)
        }
    }

    /// Every socket currently registered (listeners included).
    func forEachSocket(_ body: (LoopSocket) -> Void) {
        for case let socket? in state.pointee.sockets { body(socket) }
    }

    private func token(of socket: LoopSocket) -> UInt64 {
        UInt64(socket.generation) << 32 | UInt64(UInt32(bitPattern: socket.fd))
    }

    // MARK: Running

    /// Runs iterations until `stop()`; call on the loop's own thread.
    func run() {
        threadID.store(cwskit_thread_self(), ordering: .relaxed)
        while state.pointee.running {
            iterate()
        }
        for case let socket? in state.pointee.sockets { socket.forceClose() }
        drainWork()
        publishTally()
    }

    /// Asks the loop to return from `run()` after the current iteration.
    func stop() {
        execute { [self] in state.pointee.running = false }
    }

    private func iterate() {
        var timeout: Int32
        sleeping.store(true, ordering: .sequentiallyConsistent)
        if !state.pointee.localWork.isEmpty || !state.pointee.localJobs.isEmpty || !inbox.withLock({ $0.isEmpty }) {
            timeout = 0
        } else {
            let current = cwskit_monotonic_ns()
            timeout = current >= state.pointee.nextTickAt ? 0 : Int32(min((state.pointee.nextTickAt - current) / 1_000_000 + 1, 60_000))
        }
        let n = poller.wait(timeoutMilliseconds: timeout) { token, events in
            self.dispatch(token: token, events: events)
        }
        sleeping.store(false, ordering: .sequentiallyConsistent)
        if n < 0 && errno != EINTR { return }
        state.pointee.now = cwskit_monotonic_ns()
        drainWork()
        if now >= state.pointee.nextTickAt {
            state.pointee.tick &+= 1
            if state.pointee.tick == 0 { state.pointee.tick = 1 }
            state.pointee.nextTickAt = now &+ tickNanoseconds
            fireTimers()
            drainWork()
        }
        flushAll()
        publishTally()
    }

    private func dispatch(token: UInt64, events: PollEvents) {
        if token == 0 {
            cwskit_eventfd_drain(wakeFD)
            return
        }
        let fd = Int(UInt32(truncatingIfNeeded: token))
        let generation = UInt32(truncatingIfNeeded: token >> 32)
        guard fd < state.pointee.sockets.count, let socket = state.pointee.sockets[fd], socket.generation == generation else { return }
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
            if remote.isEmpty, remoteJobs.isEmpty, state.pointee.localWork.isEmpty, state.pointee.localJobs.isEmpty { return }
            for work in remote { work() }
            for job in remoteJobs { run(job) }
            while !state.pointee.localWork.isEmpty || !state.pointee.localJobs.isEmpty {
                let work = state.pointee.localWork
                state.pointee.localWork.removeAll(keepingCapacity: true)
                for item in work { item() }
                let jobs = state.pointee.localJobs
                state.pointee.localJobs.removeAll(keepingCapacity: true)
                for job in jobs { run(job) }
            }
        }
    }

    private func fireTimers() {
        let current = tick
        for case let socket? in state.pointee.sockets where socket.deadlineTick != 0 && current &- socket.deadlineTick < UInt32.max / 2 {
            socket.timerFired()
        }
        for handler in state.pointee.tickHandlers { handler(current) }
    }

    private func flushAll() {
        while !state.pointee.flushList.isEmpty {
            // Counted before written: a peer that reads a reply finds it (and its request) in
            // the metrics already.
            publishTally()
            swap(&state.pointee.flushList, &state.pointee.flushListSpare)
            for socket in state.pointee.flushListSpare {
                socket.queuedForFlush = false
                socket.flush()
            }
            state.pointee.flushListSpare.removeAll(keepingCapacity: true)
        }
    }

    /// Adds this loop's message counts to the server's metric handles, if any were made. The loop
    /// calls it before every flush pass and at the end of each iteration; call it on the loop
    /// before reading the metrics there (a scrape served by this loop).
    @inline(__always)
    func publishTally() {
        if let tally, !tally.pointee.isEmpty {
            metrics.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.publish(&tally.pointee) }
        }
    }

    /// Converts a duration to a tick deadline (at least one tick ahead).
    func deadline(after duration: Duration) -> UInt32 {
        deadline(afterNanoseconds: duration.saturatingNanoseconds)
    }

    /// Converts a duration in nanoseconds to a tick deadline (at least one tick ahead).
    func deadline(afterNanoseconds nanoseconds: UInt64) -> UInt32 {
        let ticks = max(1, nanoseconds / tickNanoseconds + (nanoseconds % tickNanoseconds == 0 ? 0 : 1))
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
            state.pointee.localJobs.append(job)
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
