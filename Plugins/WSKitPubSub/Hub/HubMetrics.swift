import Synchronization
import WSKitMetrics

/// The router's metrics sink as the hub sees it: bound with the runtime (see
/// `PubSubHub.bindRuntime`). Without a sink, a report is one relaxed atomic load.
final class HubMetrics: Sendable {
    private let installed = Atomic<Bool>(false)
    private let sink = Mutex<(any MetricsSink)?>(nil)

    /// Installs the router's sink (the first binding stays).
    func bind(_ metrics: (any MetricsSink)?) {
        guard let metrics else { return }
        sink.withLock { if $0 == nil { $0 = metrics } }
        installed.store(true, ordering: .releasing)
    }

    /// Adds `amount` to `metric` when a sink is installed.
    @inline(__always)
    func count(_ metric: Metric, _ amount: Int) {
        guard installed.load(ordering: .relaxed), amount != 0 else { return }
        sink.withLock { $0 }?.increment(metric, by: Int64(amount), labels: .none)
    }
}
