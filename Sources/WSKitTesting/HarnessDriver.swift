/// Runs a harness's queued work and drives its fake time.
final class HarnessDriver: Sendable {
    let executor: TestExecutor
    let clock: FakeClock
    let ticker: TestTicker
    let activeTasks: @Sendable () -> Int

    init(executor: TestExecutor, clock: FakeClock, ticker: TestTicker, activeTasks: @escaping @Sendable () -> Int) {
        self.executor = executor
        self.clock = clock
        self.ticker = ticker
        self.activeTasks = activeTasks
    }

    /// Runs queued handler work until nothing is left: no job queued and every task either done
    /// or waiting (on the fake clock, or on something outside the harness that stays silent for a
    /// few scheduler rounds).
    func settle() async {
        var quietRounds = 0
        while quietRounds < 12 {
            if executor.runPending() > 0 {
                quietRounds = 0
                continue
            }
            if activeTasks() == 0 { return }
            quietRounds += 1
            if quietRounds <= 4 {
                await Task.yield()
            } else {
                try? await Task.sleep(for: .milliseconds(1))
            }
        }
    }

    /// Moves time forward by `ms`, firing due timers and ticks one at a time in time order (a
    /// timer before a tick due at the same time) and settling after each.
    func advance(byMs ms: Int64) async {
        let target = clock.nowMs + ms
        await settle()
        while true {
            let tickAt = ticker.hasHandlers ? ticker.nextTickAt : Int64.max
            if clock.fireNext(upTo: min(target, tickAt)) {
                await settle()
                continue
            }
            guard tickAt <= target else { break }
            clock.set(nowMs: tickAt)
            ticker.fire(at: tickAt)
            await settle()
        }
        ticker.skip(through: target)
        clock.set(nowMs: target)
        await settle()
    }

    /// Fires one tick now and settles.
    func tick() async {
        await settle()
        ticker.fire(at: clock.nowMs)
        await settle()
    }
}
