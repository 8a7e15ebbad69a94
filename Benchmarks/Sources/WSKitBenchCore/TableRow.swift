/// One row of the results table: a label and the metrics whose values fill each server's cell.
public struct TableRow: Sendable, Equatable {
    /// The row's label (what the values are, with units).
    public var label: String
    /// The metrics shown in each cell, joined by " / ".
    public var metrics: [String]
    /// The metric the WSKit ÷ peer ratio columns divide, if any.
    public var ratioMetric: String?
    /// Values shown as percentages (`0.62` → `62%`).
    public var percent: Bool

    /// A row.
    public init(_ label: String, _ metrics: [String], ratio: String? = nil, percent: Bool = false) {
        self.label = label
        self.metrics = metrics
        ratioMetric = ratio
        self.percent = percent
    }

    /// The rows shown for a benchmark group, in order. A row none of whose metrics were
    /// measured is left out.
    public static func rows(forGroup group: String) -> [TableRow] {
        switch group {
        case "micro":
            return [
                TableRow("ns/op / allocs/op / instructions/op", ["ns_per_op", "allocs_per_op", "instructions_per_op"]),
                TableRow("heap bytes per subscription", ["bytes_per_subscription"]),
                TableRow("heap bytes per tracked connection", ["bytes_per_connection"]),
            ]
        case "bcast", "fanout":
            return [
                TableRow("deliveries/s ↑", ["deliveries_per_s"], ratio: "deliveries_per_s"),
                TableRow("server CPU µs/delivery ↓", ["server_us_per_delivery"], ratio: "server_us_per_delivery"),
                TableRow("server / load cores busy", ["server_cpu", "client_cpu"]),
                TableRow("fan-out latency p50 / p99 / p99.9 µs", ["p50_us", "p99_us", "p999_us"], ratio: "p99_us"),
            ]
        case "hold":
            return [
                TableRow("server KiB per idle connection ↓", ["kib_per_conn"], ratio: "kib_per_conn"),
                TableRow("held / connections per second", ["held", "conn_per_s"]),
                TableRow("server processes", ["server_processes"]),
            ]
        case "redis":
            return [
                TableRow("publishes/s ↑", ["ops_per_s"]),
                TableRow("CPU µs/publish: WSKitRedis client / redis-server", ["client_us_per_op", "server_us_per_op"]),
            ]
        case "streams":
            return [
                TableRow("publishes/s / deliveries/s ↑", ["publishes_per_s", "deliveries_per_s"]),
                TableRow("ms to recover 1,000 missed / Redis PING / LRANGE of the 1,000 / the same in a script",
                         ["recover_ms", "redis_rtt_ms", "redis_lrange1000_ms", "redis_script_read1000_ms"]),
            ]
        case "rpc-ratio":
            return [
                TableRow("typed RPC ÷ raw echo, msg/s (target ≥ 60%)", ["rpc_vs_echo"], percent: true),
                TableRow("raw echo ÷ typed RPC, server CPU/msg", ["rpc_vs_echo_cpu"], percent: true),
            ]
        default: // echo, rpc
            return [
                TableRow("msg/s ↑", ["msg_per_s"], ratio: "msg_per_s"),
                TableRow("MiB/s ↑", ["mib_per_s"], ratio: "mib_per_s"),
                TableRow("server CPU µs/msg ↓", ["server_us_per_msg"], ratio: "server_us_per_msg"),
                TableRow("server / load cores busy", ["server_cpu", "client_cpu"]),
                TableRow("latency p50 / p99 / p99.9 µs", ["p50_us", "p99_us", "p999_us"], ratio: "p99_us"),
            ]
        }
    }
}
