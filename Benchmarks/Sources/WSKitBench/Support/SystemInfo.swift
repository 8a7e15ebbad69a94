import Glibc
import WSKitBenchCore

/// Facts about the machine and the code under test, for the report's header.
enum SystemInfo {
    /// `name: value` pairs: CPU, cores, memory, kernel, toolchain, open-file limit.
    static func machine() -> [(String, String)] {
        var info: [(String, String)] = []
        let cpuinfo = (try? FileIO.read("/proc/cpuinfo")) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: " \t") } ?? "unknown"
        info.append(("cpu", model))
        info.append(("cores", String(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
        let meminfo = (try? FileIO.read("/proc/meminfo")) ?? ""
        if let line = meminfo.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") }),
           let kb = Double(line.split(separator: " ").dropFirst().first ?? "") {
            info.append(("memory", NumberFormat.fixed(kb / 1_048_576, digits: 1) + " GiB"))
        }
        var names = utsname()
        uname(&names)
        let release = withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        info.append(("kernel", "Linux " + release))
        if let (version, _) = Subprocess.output(["swift", "--version"]), let first = version.split(separator: "\n").first {
            info.append(("swift", String(first)))
        }
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        info.append(("open files (hard limit)", limit.rlim_max == rlim_t.max ? "unlimited" : String(limit.rlim_max)))
        return info
    }

    /// The commit under test, `+dirty` when tracked files have changes.
    static func commit(root: String) -> String {
        guard let (hash, status) = Subprocess.output(["git", "-C", root, "rev-parse", "--short", "HEAD"]), status == 0 else {
            return "unknown"
        }
        let dirty = Subprocess.output(["git", "-C", root, "status", "--porcelain", "--untracked-files=no"])?.0 ?? ""
        return hash + (dirty.isEmpty ? "" : "+dirty")
    }

    /// Now, as `YYYY-MM-DDTHH:MM:SSZ`.
    static func utcNow(compact: Bool = false) -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        strftime(&buffer, buffer.count, compact ? "%Y-%m-%dT%H%M%SZ" : "%Y-%m-%dT%H:%M:%SZ", &parts)
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Busy cores of the whole machine over `seconds`, from /proc/stat.
    static func busyCores(over seconds: Double) -> Double {
        func busy() -> Double {
            guard let text = try? FileIO.read("/proc/stat"), let line = text.split(separator: "\n").first else { return 0 }
            let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
            guard fields.count >= 8 else { return 0 }
            return fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]
        }
        let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
        let a = busy()
        Clock.sleep(seconds)
        let b = busy()
        return (b - a) / hz / seconds
    }
}
