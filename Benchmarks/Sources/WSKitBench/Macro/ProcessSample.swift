/// Memory and CPU of server processes, read from /proc.
enum ProcessSample {
    /// VmRSS in KiB (0 if unreadable).
    static func rssKB(_ pid: Int32) -> Double {
        guard let status = try? FileIO.read("/proc/\(pid)/status"),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return Double(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// The summed VmRSS of several processes, in KiB.
    static func rssKB(_ pids: [Int32]) -> Double { pids.reduce(0) { $0 + rssKB($1) } }
}
