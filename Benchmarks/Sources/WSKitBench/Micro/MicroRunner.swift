import CWSKitBenchSupport
import Glibc
import WSKitBenchCore

/// Measures micro benchmarks: calibrated batches timed repeatedly (median ns/op), a counted pass
/// (allocations/op), and optionally a callgrind run of the same loop (instructions/op).
struct MicroRunner {
    /// Timed batches per benchmark (the median is reported).
    var samples: Int
    /// The duration one timed batch aims for, in seconds.
    var batchSeconds: Double
    /// Also count instructions with callgrind (valgrind must be installed).
    var instructions: Bool
    /// Iterations of the callgrind run (fewer for slow operations).
    var callgrindBudget: Double = 0.02

    /// Runs `benchmark` and returns its entry.
    func measure(_ benchmark: MicroBenchmark) async -> BenchEntry {
        let loop = await benchmark.prepare()
        await loop(16)
        // Calibrate: double the batch until it takes a quarter of the target, then scale.
        var n = 1
        var elapsed = 0.0
        while n < 1 << 26 {
            elapsed = await time(loop, n)
            if elapsed >= batchSeconds / 4 { break }
            n *= 2
        }
        let perOp = max(elapsed / Double(n), 1e-9)
        let batch = max(1, Int(batchSeconds / perOp))
        var nanoseconds: [Double] = []
        for _ in 0 ..< samples {
            nanoseconds.append(await time(loop, batch) / Double(batch) * 1e9)
        }
        // Allocations: a separate pass, so counting never touches the timed batches.
        let counted = max(1, min(batch, 10_000))
        cwskit_bench_count_allocations(1)
        let before = cwskit_bench_allocations()
        await loop(counted)
        let after = cwskit_bench_allocations()
        cwskit_bench_count_allocations(0)
        var metrics = [
            Metric(name: "ns_per_op", samples: nanoseconds),
            Metric(name: "allocs_per_op", value: Double(after - before) / Double(counted)),
        ]
        var note: String?
        if instructions {
            let median = Statistics.median(nanoseconds) ?? 1000
            let iterations = max(20, min(200_000, Int(callgrindBudget / (median / 1e9))))
            switch Callgrind.instructionsPerOp(benchmark: benchmark.name, iterations: iterations) {
            case .success(let value): metrics.append(Metric(name: "instructions_per_op", value: value))
            case .failure(let error): note = "callgrind: \(error.description)"
            }
        }
        return BenchEntry(key: "micro." + benchmark.name, group: "micro", title: benchmark.title, server: "wskit",
                          metrics: metrics, note: note)
    }

    /// Seconds to run `n` iterations.
    func time(_ loop: MicroLoop, _ n: Int) async -> Double {
        let start = Clock.nanoseconds()
        await loop(n)
        return Double(Clock.nanoseconds() - start) / 1e9
    }

    /// Whether the allocator interposition works in this process (a class instance is a malloc).
    static func allocationCountingWorks() -> Bool {
        cwskit_bench_count_allocations(1)
        let before = cwskit_bench_allocations()
        let array = [Int](repeating: Sink.value, count: 64 + (Sink.value & 1))  // opaque size: a heap buffer
        Sink.consume(array.count)
        let after = cwskit_bench_allocations()
        cwskit_bench_count_allocations(0)
        return after > before
    }

    /// `wskit-bench micro --run NAME --iterations N`: runs exactly N iterations, toggling
    /// callgrind's collection around them (for `valgrind --tool=callgrind --collect-atstart=no`).
    static func runOnce(name: String, iterations: Int) async -> Int32 {
        guard let benchmark = allMicroBenchmarks().first(where: { $0.name == name }) else {
            Console.log("wskit-bench: no micro benchmark named \(name) (see wskit-bench micro --list)")
            return 2
        }
        let loop = await benchmark.prepare()
        await loop(min(iterations, 100))  // warm: lazy initialisation stays outside the count
        cwskit_bench_callgrind_toggle()
        await loop(iterations)
        cwskit_bench_callgrind_toggle()
        return 0
    }
}
