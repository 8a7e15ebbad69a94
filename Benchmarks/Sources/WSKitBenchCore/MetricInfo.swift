/// What a metric means: its label and unit, which direction is better, and how large a change
/// must be before a comparison calls it real.
public struct MetricInfo: Sendable {
    /// Whether smaller or larger values are better.
    public enum Direction: Sendable {
        /// Costs: time, CPU, memory, latency.
        case lowerIsBetter
        /// Rates: messages, deliveries, connections per second.
        case higherIsBetter
        /// Context only (cores busy): never judged.
        case neutral
    }

    /// The metric's name (a key of ``all``).
    public let name: String
    /// A short label with its unit, for tables.
    public let label: String
    /// Which way is better.
    public let direction: Direction
    /// The smallest relative change a comparison reports, however steady the samples were.
    public let noiseFloor: Double
    /// The smallest absolute change a comparison reports (for counts such as allocations).
    public let absoluteFloor: Double

    init(_ name: String, _ label: String, _ direction: Direction, noise: Double, absolute: Double = 0) {
        self.name = name
        self.label = label
        self.direction = direction
        noiseFloor = noise
        absoluteFloor = absolute
    }

    /// Every metric the suite records.
    public static let all: [String: MetricInfo] = {
        let list: [MetricInfo] = [
            // Micro benchmarks.
            MetricInfo("ns_per_op", "ns/op", .lowerIsBetter, noise: 0.10, absolute: 1),
            MetricInfo("allocs_per_op", "allocs/op", .lowerIsBetter, noise: 0, absolute: 0.5),
            MetricInfo("instructions_per_op", "instructions/op", .lowerIsBetter, noise: 0.02, absolute: 5),
            MetricInfo("ops_per_s", "ops/s", .higherIsBetter, noise: 0.15),
            MetricInfo("client_us_per_op", "client CPU µs/op", .lowerIsBetter, noise: 0.15, absolute: 0.2),
            MetricInfo("server_us_per_op", "server CPU µs/op", .lowerIsBetter, noise: 0.15, absolute: 0.2),
            MetricInfo("bytes_per_subscription", "heap bytes per subscription", .lowerIsBetter, noise: 0.05, absolute: 8),
            MetricInfo("bytes_per_connection", "heap bytes per tracked connection", .lowerIsBetter, noise: 0.05, absolute: 8),
            // Traffic on sockets.
            MetricInfo("msg_per_s", "msg/s", .higherIsBetter, noise: 0.15),
            MetricInfo("mib_per_s", "MiB/s", .higherIsBetter, noise: 0.15),
            MetricInfo("server_us_per_msg", "server CPU µs/msg", .lowerIsBetter, noise: 0.10, absolute: 0.2),
            MetricInfo("server_cpu", "server cores busy", .neutral, noise: 0.2),
            MetricInfo("client_cpu", "load generator cores busy", .neutral, noise: 0.2),
            MetricInfo("other_cpu", "other processes' cores busy", .neutral, noise: 1),
            MetricInfo("p50_us", "p50 µs", .lowerIsBetter, noise: 0.25, absolute: 20),
            MetricInfo("p99_us", "p99 µs", .lowerIsBetter, noise: 0.30, absolute: 50),
            MetricInfo("p999_us", "p99.9 µs", .lowerIsBetter, noise: 0.40, absolute: 100),
            MetricInfo("deliveries_per_s", "deliveries/s", .higherIsBetter, noise: 0.15),
            MetricInfo("server_us_per_delivery", "server CPU µs/delivery", .lowerIsBetter, noise: 0.10, absolute: 0.1),
            MetricInfo("rpc_vs_echo", "typed RPC ÷ raw echo msg/s", .higherIsBetter, noise: 0.10),
            MetricInfo("rpc_vs_echo_cpu", "raw echo ÷ typed RPC CPU/msg", .higherIsBetter, noise: 0.10),
            // Topic history (streams).
            MetricInfo("publishes_per_s", "publishes/s", .higherIsBetter, noise: 0.15),
            MetricInfo("recover_ms", "ms to recover 1,000", .lowerIsBetter, noise: 0.30, absolute: 0.5),
            MetricInfo("redis_rtt_ms", "Redis round trip ms", .neutral, noise: 0.5),
            MetricInfo("redis_lrange1000_ms", "Redis read of 1,000 entries ms", .neutral, noise: 0.5),
            MetricInfo("redis_script_read1000_ms", "Redis read of 1,000 entries in a script ms", .neutral, noise: 0.5),
            // Connections held.
            MetricInfo("kib_per_conn", "server KiB/conn", .lowerIsBetter, noise: 0.10, absolute: 0.1),
            MetricInfo("held", "connections held", .higherIsBetter, noise: 0, absolute: 1),
            MetricInfo("conn_per_s", "connections/s", .higherIsBetter, noise: 0.25),
            MetricInfo("server_processes", "server processes", .neutral, noise: 0),
        ]
        return Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0) })
    }()

    /// The info for `name`; an unknown metric is neutral with a 10% floor.
    public static func named(_ name: String) -> MetricInfo {
        all[name] ?? MetricInfo(name, name, .neutral, noise: 0.10)
    }
}
