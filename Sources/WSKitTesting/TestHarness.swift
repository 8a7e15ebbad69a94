import Synchronization
import WSKitContract
import WSKitRouter

/// Runs a router in memory for tests: fake connections, a fake clock wired into every router and
/// plugin timer, deterministic handler execution, capture of frames, reported errors and
/// plugin events (publishes, …), an RPC call helper, and a check that nothing is left behind.
///
/// ```swift
/// let harness = try TestHarness(router, plugins: AppPlugins())
/// let alice = await harness.connect(data: Session(userId: "alice"))
/// let result = try await alice.call(GetUser.self, .init(id: "u1"))
/// #expect(result.reply?.name == "Alice")
/// try await harness.finish()   // closes connections, throws if timers or tasks leaked
/// ```
public final class TestHarness<ConnectionData: Sendable, Plugins: PluginSet>: Sendable {
    /// The built router under test.
    public let runtime: RouterRuntime<ConnectionData, Plugins>
    /// The fake clock every router and plugin timer uses.
    public let clock: FakeClock
    /// The executor handler tasks run on.
    public let executor: TestExecutor
    /// The coarse timer every test connection offers plugins (an event loop's tick), driven by
    /// the fake clock.
    public let ticker: TestTicker

    let recorder: HarnessRecorder
    let driver: HarnessDriver
    private let connections = Mutex<[TestConnection<ConnectionData, Plugins>]>([])
    private let nextClientNumber = Atomic<Int>(1)

    /// Builds `router` with `plugins` on a fake clock. `tickInterval` is the period of the
    /// connections' coarse timer (``ticker``), like a server's `timerResolution` (whole
    /// milliseconds of the fake clock, at least 1).
    ///
    /// - Throws: the router's ``RouterBuildError``.
    public init(
        _ router: Router<ConnectionData, Plugins>, plugins: Plugins, options: RouterOptions = RouterOptions(),
        clock: FakeClock = FakeClock(), tickInterval: Duration = .seconds(1)
    ) throws(RouterBuildError) {
        let recorder = HarnessRecorder()
        let runtime = try router.build(plugins: plugins, options: options, clock: clock, observers: [recorder])
        let executor = TestExecutor()
        let ticker = TestTicker(tickIntervalMs: tickInterval.wholeMilliseconds, startMs: clock.nowMs)
        self.runtime = runtime
        self.clock = clock
        self.executor = executor
        self.ticker = ticker
        self.recorder = recorder
        driver = HarnessDriver(
            executor: executor, clock: clock, ticker: ticker,
            activeTasks: { [weak runtime] in runtime?.activeTaskCount ?? 0 })
    }

    // MARK: Connections

    /// Opens a connection with initial data (what a server's upgrade hook would produce) and
    /// settles its open hooks. Its id is `client-1`, `client-2`, … unless given.
    public func connect(data: ConnectionData, clientId: String? = nil) async -> TestConnection<ConnectionData, Plugins> {
        let number = nextClientNumber.add(1, ordering: .relaxed).oldValue
        let transport = TestTransport(clientId: clientId ?? "client-\(number)", executor: executor, ticker: ticker)
        let routerConnection = runtime.open(transport, data: data)
        transport.bind { [weak routerConnection] code, reason in routerConnection?.didClose(code: code, reason: reason) }
        transport.bind { [weak routerConnection] in routerConnection?.notePeerActivity() }
        let connection = TestConnection(connection: routerConnection, transport: transport, driver: driver)
        connections.withLock { $0.append(connection) }
        await driver.settle()
        return connection
    }

    /// Every connection opened so far.
    public var allConnections: [TestConnection<ConnectionData, Plugins>] { connections.withLock { $0 } }

    // MARK: Time and work

    /// Runs queued handler work until the router is quiet (every task done or waiting).
    public func settle() async { await driver.settle() }

    /// Moves the fake clock forward by `duration` (whole milliseconds: the router clock's unit),
    /// firing due timers and ``ticker`` ticks in time order and settling after each.
    public func advance(by duration: Duration) async { await driver.advance(byMs: duration.wholeMilliseconds) }

    /// Fires one ``ticker`` tick at the current time (without moving the clock) and settles.
    public func tick() async { await driver.tick() }

    // MARK: Captures

    /// Every error the router reported (`onError`), in order.
    public var errors: [RouterErrorEvent] { recorder.errors }

    /// Every event plugins emitted (``RouterRuntime/emit(_:)``), in order.
    public var pluginEvents: [any PluginEvent] { recorder.pluginEvents }

    /// The events of one type plugins emitted, in order — for example
    /// `harness.pluginEvents(PublishRecord.self)` for the pub/sub plugin's publishes.
    public func pluginEvents<Event: PluginEvent>(_ type: Event.Type) -> [Event] {
        recorder.pluginEvents.compactMap { $0 as? Event }
    }

    /// Forgets captured errors and plugin events.
    public func clearCaptures() { recorder.clear() }

    // MARK: Leaks

    /// What is left behind right now: pending timers, running tasks, queued jobs.
    public func leaks() -> [String] {
        var leaks: [String] = []
        let timers = clock.pendingDeadlines
        if !timers.isEmpty {
            leaks.append("\(timers.count) timer(s) pending, due in \(timers.map { $0 - clock.nowMs }) ms")
        }
        let tasks = runtime.activeTaskCount
        if tasks > 0 { leaks.append("\(tasks) handler or lifecycle task(s) still running") }
        let jobs = executor.pendingJobCount
        if jobs > 0 { leaks.append("\(jobs) job(s) queued") }
        return leaks
    }

    /// Settles, then throws ``HarnessError/leaks(_:)`` if any timer, task or job is left.
    public func assertNoLeaks() async throws(HarnessError) {
        await settle()
        let leaks = leaks()
        if !leaks.isEmpty { throw HarnessError.leaks(leaks) }
    }

    /// Ends the test: closes every open connection (1001), settles, and throws
    /// ``HarnessError/leaks(_:)`` if any timer, task or job is left behind.
    public func finish() async throws(HarnessError) {
        for connection in allConnections where !connection.isClosed {
            connection.connection.didClose(code: 1001, reason: "test finished")
        }
        try await assertNoLeaks()
    }
}

extension TestHarness where Plugins == NoPlugins {
    /// Builds a router without plugins on a fake clock.
    public convenience init(
        _ router: Router<ConnectionData, Plugins>, options: RouterOptions = RouterOptions(), clock: FakeClock = FakeClock(),
        tickInterval: Duration = .seconds(1)
    ) throws(RouterBuildError) {
        try self.init(router, plugins: NoPlugins(), options: options, clock: clock, tickInterval: tickInterval)
    }
}

extension TestHarness where ConnectionData == Void {
    /// Opens a connection of a router without connection data.
    public func connect(clientId: String? = nil) async -> TestConnection<ConnectionData, Plugins> {
        await connect(data: (), clientId: clientId)
    }
}
