import Synchronization
import WSKitRouter
import WSKitServer

/// An event loop's coarse timer (`EventLoop.onTick`, ADR 0004) as a ``RouterTicker``: plugins
/// register one handler per loop and sweep that loop's connections from it, on the loop thread.
final class LoopTicker: RouterTicker {
    private let loop: EventLoop

    init(_ loop: EventLoop) {
        self.loop = loop
    }

    /// The loop's tick period (`ServerConfiguration.timerResolution`).
    var tickInterval: Duration { .nanoseconds(Int64(clamping: loop.tickNanoseconds)) }

    /// Registers `handler` with the loop (hopping to it when called from another thread); it gets
    /// the loop's monotonic time, read once per iteration.
    func onTick(_ handler: @escaping @Sendable (_ nowMs: Int64) -> Void) {
        let loop = loop
        let register: @Sendable () -> Void = {
            loop.onTick { [unowned loop] _ in handler(Int64(loop.now / 1_000_000)) }
        }
        if loop.inEventLoop { register() } else { loop.execute(register) }
    }
}

/// One ``LoopTicker`` per loop for the connections a behavior hosts, so that every connection of
/// a loop hands plugins the same ticker.
final class LoopTickers: Sendable {
    private let tickers = Mutex<[ObjectIdentifier: LoopTicker]>([:])

    func ticker(for loop: EventLoop) -> LoopTicker {
        tickers.withLock { tickers in
            if let ticker = tickers[ObjectIdentifier(loop)] { return ticker }
            let ticker = LoopTicker(loop)
            tickers[ObjectIdentifier(loop)] = ticker
            return ticker
        }
    }
}
