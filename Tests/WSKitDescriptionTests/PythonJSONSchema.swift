import Glibc
import WSKitContract
import WSKitLiveFixtures

/// Runs Python's `jsonschema` (a validator independent of WSKit) on JSON inputs: the script reads
/// `input.json`, writes its answer to stdout as one JSON value.
enum PythonJSONSchema {
    /// The repository's root (this file is Tests/WSKitDescriptionTests/PythonJSONSchema.swift).
    static let repositoryRoot: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// The official AsyncAPI 3.0.0 JSON Schema, shared next to the repository.
    static var asyncAPISchemaPath: String { repositoryRoot + "/../shared/schemas/asyncapi-3.0.0.json" }

    /// The Python with `jsonschema` and `yaml`: Tests/run's venv when it made one, else python3.
    static var python: String {
        let home = getenv("HOME").map { String(cString: $0) } ?? "/root"
        let cache = getenv("XDG_CACHE_HOME").map { String(cString: $0) } ?? home + "/.cache"
        let venv = cache + "/wskit-schema-venv/bin/python"
        return access(venv, X_OK) == 0 ? venv : "python3"
    }

    static func write(_ text: String, to path: String) throws {
        guard let file = fopen(path, "w") else { throw ChildProcess.Failure("cannot write \(path)") }
        defer { fclose(file) }
        let bytes = Array(text.utf8)
        guard fwrite(bytes, 1, bytes.count, file) == bytes.count else { throw ChildProcess.Failure("short write \(path)") }
    }

    /// Runs `script` with `input` in `input.json` of a fresh directory; returns its stdout parsed.
    static func run(_ script: String, input: JSONValue) async throws -> JSONValue {
        var template = Array("/tmp/wskit-description-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw ChildProcess.Failure("mkdtemp failed") }
        let directory = String(cString: made)
        try write(JSON.serialize(input), to: directory + "/input.json")
        try write(script, to: directory + "/check.py")
        let process = try ChildProcess(
            shell: "cd \(directory) && '\(python)' check.py > out.json 2> err.txt", logPath: directory + "/log.txt")
        try await process.waitUntil("python3 finished", timeout: 60) { process.exitStatus != nil }
        let output = readTextFile(directory + "/out.json")
        guard process.exitStatus == 0 else {
            throw ChildProcess.Failure("python3 failed: \(readTextFile(directory + "/err.txt"))")
        }
        return try JSON.parse(output)
    }
}
