import Testing
import WSKitBenchCore

/// The suite's report logic: statistics, the Markdown table, the JSON file and the comparison of
/// two runs. No timing is asserted.
@Suite struct ReportTests {
    static func report(
        parseNs: [Double] = [100, 101, 99], allocs: Double = 0, wskitCPU: [Double] = [5.0, 5.1, 4.9],
        commit: String = "abc1234"
    ) -> BenchReport {
        BenchReport(
            mode: "quick", date: "2026-11-22T20:00:00Z", commit: commit,
            machine: [("cpu", "Test CPU"), ("cores", "2")], servers: ["wskit", "vapor"],
            entries: [
                BenchEntry(key: "micro.frame.parse.text32", group: "micro", title: "frame parse: 32 B text, masked",
                           server: "wskit", metrics: [Metric(name: "ns_per_op", samples: parseNs),
                                                      Metric(name: "allocs_per_op", value: allocs)]),
                BenchEntry(key: "echo.text32.c100.k1", group: "echo", title: "echo 32 B text, 100 conns, 1 in flight",
                           server: "wskit", metrics: [Metric(name: "msg_per_s", samples: [80_000, 82_000, 81_000]),
                                                      Metric(name: "server_us_per_msg", samples: wskitCPU),
                                                      Metric(name: "server_cpu", value: 0.4), Metric(name: "client_cpu", value: 0.9),
                                                      Metric(name: "other_cpu", samples: [0.05, 0.31])]),
                BenchEntry(key: "echo.text32.c100.k1", group: "echo", title: "echo 32 B text, 100 conns, 1 in flight",
                           server: "vapor", metrics: [Metric(name: "msg_per_s", value: 60_000),
                                                      Metric(name: "server_us_per_msg", value: 10)]),
                BenchEntry(key: "bcast.c1000", group: "bcast", title: "broadcast to 1,000 subscribers", server: "wskit",
                           metrics: [], note: "no /bcast broadcast"),
            ],
            notes: ["hummingbird skipped: not built."])
    }

    @Test func medianAndSpread() {
        #expect(Statistics.median([3, 1, 2]) == 2)
        #expect(Statistics.median([4, 1, 2, 3]) == 2.5)
        #expect(Statistics.median([]) == nil)
        #expect(Statistics.relativeSpread([90, 100, 110]) == 0.2)
        #expect(Statistics.relativeSpread([5]) == 0)
        #expect(Metric(name: "ns_per_op", samples: [3, 9, 4]).value == 4)
    }

    @Test func numberFormatting() {
        #expect(NumberFormat.value(1_234_567.8) == "1,234,568")
        #expect(NumberFormat.value(12.345) == "12.3")
        #expect(NumberFormat.value(1.234) == "1.23")
        #expect(NumberFormat.value(0.04567) == "0.046")
        #expect(NumberFormat.ratio(0.5) == "0.50×")
        #expect(NumberFormat.percent(-0.125) == "-12.5%")
    }

    @Test func tableHasAColumnPerServerAndRatios() {
        let table = MarkdownTable.render(Self.report())
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines[0] == "| benchmark | metric | wskit | vapor | wskit/vapor |")
        #expect(lines[1] == "|---|---|---:|---:|---:|")
        #expect(lines.contains("| frame parse: 32 B text, masked | ns/op / allocs/op / instructions/op | 100 / 0 |  |  |"))
        #expect(lines.contains("| echo 32 B text, 100 conns, 1 in flight | msg/s ↑ | 81,000 | 60,000 | 1.35× |"))
        #expect(lines.contains("|  | server CPU µs/msg ↓ | 5.00 | 10.0 | 0.50× |"))
        #expect(lines.contains("|  | server / load cores busy | 0.400 / 0.900 | – |  |"))  // vapor: not measured
        // Rows nobody measured are left out; an entry without numbers says why.
        #expect(!table.contains("MiB/s"))
        #expect(lines.contains("| broadcast to 1,000 subscribers | — | n/a |  |  |"))
        #expect(table.contains("- broadcast to 1,000 subscribers — wskit: no /bcast broadcast"))
        #expect(table.contains("- hummingbird skipped: not built."))
        #expect(table.contains("Highest `other_cpu`"))
        #expect(table.contains("wskit 0.31"))
    }

    @Test func jsonRoundTrip() throws {
        let report = Self.report()
        let text = ReportJSON.text(report)
        #expect(text.contains("\"suite\": \"wskit-bench\""))
        #expect(text.contains("\"samples\": [100, 101, 99]"))
        let decoded = try ReportJSON.decode(text)
        #expect(decoded == report)
        #expect(decoded.entry("echo.text32.c100.k1", server: "vapor")?.value("msg_per_s") == 60_000)
    }

    @Test func jsonThatIsNoReportIsRejected() {
        #expect(throws: ReportJSON.DecodingError.self) { try ReportJSON.decode("{\"entries\": []}") }
        #expect(throws: ReportJSON.DecodingError.self) { try ReportJSON.decode("not json") }
        #expect(throws: ReportJSON.DecodingError.self) {
            try ReportJSON.decode(#"{"suite": "wskit-bench", "entries": [{"key": "k"}]}"#)
        }
    }

    @Test func comparisonFlagsChangesBeyondNoise() {
        let before = Self.report()
        // 30% slower with tight samples: a regression. One more allocation: a regression.
        let slower = Self.report(parseNs: [130, 131, 129], allocs: 1, commit: "def5678")
        let comparison = BenchComparison(before: before, after: slower)
        let flagged = Set(comparison.regressions.map(\.metric))
        #expect(flagged == ["ns_per_op", "allocs_per_op"])
        #expect(comparison.markdown().contains("**REGRESSION**"))

        // Faster server CPU per message: an improvement; cores busy are never judged.
        let faster = Self.report(wskitCPU: [3.9, 4.0, 4.1])
        let better = BenchComparison(before: before, after: faster)
        #expect(better.regressions.isEmpty)
        #expect(better.improvements.map(\.metric) == ["server_us_per_msg"])
        #expect(better.rows.first { $0.metric == "server_cpu" }?.verdict == .informational)
    }

    @Test func comparisonIgnoresChangesWithinTheSpread() {
        let before = Self.report(parseNs: [80, 100, 120])  // ±20% within the run
        let after = Self.report(parseNs: [95, 115, 130])   // +15%: inside that spread
        let comparison = BenchComparison(before: before, after: after)
        #expect(comparison.regressions.isEmpty)
        #expect(comparison.rows.first { $0.metric == "ns_per_op" }?.verdict == .unchanged)
    }

    @Test func comparisonListsEntriesFoundInOneRunOnly() {
        var after = Self.report()
        after.entries.removeAll { $0.server == "vapor" }
        let comparison = BenchComparison(before: Self.report(), after: after)
        #expect(comparison.unmatched == ["echo.text32.c100.k1 (vapor): only before"])
    }
}
