/// The measured operation of a micro benchmark: runs it `n` times.
typealias MicroLoop = (Int) async -> Void

/// A micro benchmark: in process, no sockets. `prepare` builds the state once (outside the
/// measurement) and returns the loop that is timed, counted and run under callgrind.
struct MicroBenchmark {
    /// A stable name (`frame.parse.text32`); `micro.` + name is the report key.
    let name: String
    /// What the table shows.
    let title: String
    /// Builds the state and returns the measured loop.
    let prepare: () async -> MicroLoop
}

/// Every micro benchmark, in table order.
func allMicroBenchmarks() -> [MicroBenchmark] {
    ProtocolBenchmarks.all() + ContractBenchmarks.all() + RouterBenchmarks.all() + PubSubBenchmarks.all()
        + PresenceBenchmarks.all()
}
