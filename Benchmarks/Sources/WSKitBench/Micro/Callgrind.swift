import Glibc

/// Instruction counts with `valgrind --tool=callgrind`: this executable runs one benchmark's loop
/// under callgrind with collection on only inside the loop (`wskit-bench micro --run`).
enum Callgrind {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Whether valgrind is installed.
    static var available: Bool {
        Subprocess.output(["valgrind", "--version"]).map { $0.1 == 0 } ?? false
    }

    /// A copy of this executable without DWARF: valgrind 3.19 cannot read the toolchain's DWARF 5
    /// and gives up on the original.
    nonisolated(unsafe) static var strippedCopy: String?

    static func executableForValgrind() -> String {
        if let strippedCopy { return strippedCopy }
        let copy = "/tmp/wskit-bench-callgrind-\(getpid()).bin"
        let ok = Subprocess.output(["objcopy", "--strip-debug", Paths.executable, copy]).map { $0.1 == 0 } ?? false
        strippedCopy = ok ? copy : Paths.executable
        return strippedCopy!
    }

    /// Removes the stripped copy.
    static func cleanUp() {
        if let strippedCopy, strippedCopy != Paths.executable { unlink(strippedCopy) }
        strippedCopy = nil
    }

    /// Instructions per iteration of `benchmark` over `iterations`.
    static func instructionsPerOp(benchmark: String, iterations: Int) -> Result<Double, Failure> {
        let base = "/tmp/wskit-bench-callgrind.\(getpid())"
        defer {
            unlink(base + ".out")
            unlink(base + ".log")
        }
        let arguments = [
            "valgrind", "--tool=callgrind", "--collect-atstart=no", "--callgrind-out-file=\(base).out",
            "--log-file=\(base).log", executableForValgrind(), "micro", "--run", benchmark, "--iterations", String(iterations),
        ]
        guard let process = try? Subprocess(arguments, stdout: .null, stderr: .null) else {
            return .failure(Failure(description: "cannot start valgrind"))
        }
        let status = process.wait(timeout: 300)
        guard status == 0 else { return .failure(Failure(description: "valgrind exited with status \(status)")) }
        // The log ends with "Events : Ir" and "Collected : <count>".
        guard let log = try? FileIO.read(base + ".log"),
              let line = log.split(separator: "\n").last(where: { $0.contains("Collected :") }),
              let count = Double(String(line.split(separator: ":").last ?? "").trimmingCharacters(in: " ")) else {
            return .failure(Failure(description: "no instruction count in valgrind's log"))
        }
        return .success(count / Double(iterations))
    }
}
