import Glibc

/// Where things are: the repository, this executable's build directory, the peers' binaries.
struct Paths {
    /// The repository root (the directory with WSKit's Package.swift).
    let root: String
    /// The directory holding this executable.
    let binDirectory: String
    /// The SwiftPM scratch directory this executable was built in.
    let scratch: String

    /// This executable.
    static var executable: String { FileIO.realPath("/proc/self/exe") ?? CommandLine.arguments[0] }

    /// Finds the repository from this executable's location, else from the current directory.
    static func locate() -> Paths {
        let exe = executable
        let bin = FileIO.dirname(of: exe)
        let scratch = FileIO.realPath(bin + "/../..") ?? bin
        var root: String?
        for start in [bin, FileIO.currentDirectory()] {
            var dir = start
            while !dir.isEmpty && dir != "/" {
                if FileIO.exists(dir + "/Package.swift") && FileIO.exists(dir + "/Benchmarks/Sources/WSKitBench") {
                    root = dir
                    break
                }
                dir = FileIO.dirname(of: dir)
            }
            if root != nil { break }
        }
        return Paths(root: root ?? FileIO.currentDirectory(), binDirectory: bin, scratch: scratch)
    }

    /// `wskit-echo`, a release build in this executable's scratch directory.
    var wskitEcho: String { scratch + "/release/wskit-echo" }

    /// The peers' release binaries (Benchmarks/Peers).
    var peersBin: String { root + "/Benchmarks/Peers/.build/release" }

    /// `wskit-host-bench`, the benchmark router on Vapor or Hummingbird: a release build of the
    /// Integrations package (its own scratch directory, Integrations/.build).
    var hostBench: String { root + "/Integrations/.build/release/wskit-host-bench" }

    /// Where result files go by default.
    var results: String { root + "/Benchmarks/results" }

    /// The independent load generator's source, beside the repository.
    var wsloadSource: String { root + "/../shared/perf/wsload.c" }
}
