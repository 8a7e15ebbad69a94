import Glibc

/// The Python with the `websockets` package that interop tests drive: `$WSKIT_PYTHON`, else the
/// conformance venv (`../shared/conformance/install.sh` creates `~/.cache/wskit-conformance-venv`).
/// Throws with that advice when there is none: the tests fail loudly, they never skip.
public func conformancePython() throws -> String {
    let candidates = [
        getenv("WSKIT_PYTHON").map { String(cString: $0) },
        getenv("XDG_CACHE_HOME").map { String(cString: $0) + "/wskit-conformance-venv/bin/python" },
        getenv("HOME").map { String(cString: $0) + "/.cache/wskit-conformance-venv/bin/python" },
    ].compactMap { $0 }
    return try installedExecutable(
        candidates,
        install: "no Python with the websockets package: run ../shared/conformance/install.sh "
            + "(creates ~/.cache/wskit-conformance-venv) or set WSKIT_PYTHON; looked at \(candidates)")
}

/// Runs a Python script with `conformancePython()` and returns what it printed, once it exits
/// with status 0 (else throws with its output).
public func runPythonScript(_ script: String, arguments: [String], timeout: Double = 60) async throws -> String {
    let path = "/tmp/wskit-python-\(getpid())-\(UInt32.random(in: 0 ... .max)).py"
    defer { unlink(path) }
    let file = fopen(path, "w")
    fputs(script, file)
    fclose(file)
    let process = try ChildProcess(try conformancePython(), ["-u", path] + arguments)
    let status = try await runBlocking { () throws -> Int32 in
        let deadline = monotonicSeconds() + timeout
        while monotonicSeconds() < deadline {
            if let status = process.exitStatus { return status }
            usleep(20_000)
        }
        throw ChildProcess.Failure("the Python script ran longer than \(timeout) s:\n\(process.outputTail())")
    }
    guard status == 0 else { throw ChildProcess.Failure("the Python script failed (wait status \(status)):\n\(process.outputTail())") }
    return process.output
}
