import WSKitBenchRouter
import WSKitContract
import WSKitMetrics
import WSKitRouter
import WSKitTesting

/// Micro benchmarks of the router: dispatch of a validated message to a handler that answers,
/// a typed RPC (both on a null transport), and an RPC round trip through the test harness.
enum RouterBenchmarks {
    static func all() -> [MicroBenchmark] {
        [
            dispatch("router.dispatch", "router dispatch: decode + validate + handler + send", frame: chatFrame),
            dispatch("router.rpc", "router RPC: decode + handler + reply", frame: benchEchoFrame),
            // The same with a metrics sink installed (ADR 0110): the seam's cost with a registry.
            dispatch(
                "router.dispatch.metrics", "router dispatch with a MetricsRegistry installed", frame: chatFrame,
                metrics: MetricsRegistry()),
            dispatch(
                "router.rpc.metrics", "router RPC with a MetricsRegistry installed", frame: benchEchoFrame,
                metrics: MetricsRegistry()),
            MicroBenchmark(name: "harness.rpc", title: "RPC round trip through WSKitTesting harness") {
                let harness = try! TestHarness(makeBenchRouter(Void.self), plugins: BenchPlugins())
                let client = await harness.connect()
                return { n in
                    for _ in 0 ..< n {
                        guard let result = try? await client.call(BenchEcho.self, .init(text: "hello")), result.reply != nil else {
                            fatalError("harness.rpc: no reply")
                        }
                        client.clearFrames()
                    }
                }
            },
        ]
    }

    static func dispatch(_ name: String, _ title: String, frame: [UInt8], metrics: MetricsRegistry? = nil) -> MicroBenchmark {
        MicroBenchmark(name: name, title: title) {
            let runtime = try! makeBenchRouter(Void.self).build(plugins: BenchPlugins(), options: RouterOptions(metrics: metrics))
            let transport = NullTransport()
            let connection = runtime.open(transport, data: ())
            return { n in
                let before = transport.frames.load(ordering: .relaxed)
                frame.withUnsafeBytes { bytes in
                    for _ in 0 ..< n { connection.receive(text: bytes) }
                }
                let answered = transport.frames.load(ordering: .relaxed) - before
                if answered != n { fatalError("\(name): \(answered) answers to \(n) messages") }
            }
        }
    }
}
