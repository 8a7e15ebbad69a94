import Glibc
import Testing
import WSKitContract
import WSKitLiveFixtures

/// `wskit` run as a child process against the composition example's executable (which serves its
/// AsyncAPI document): JSON-lines output and exit statuses.
@Suite("wskit command-line client against the composition example", .serialized)
struct CommandLineClientTests {
    struct Run {
        var status: Int32
        var lines: [JSONValue]
        var errors: String
    }

    static func withExample(_ body: (String) async throws -> Void) async throws {
        let port = freePort()
        let server = try ChildProcess(try builtExecutable("wskit-composition-example"), ["--port", "\(port)"])
        defer { server.terminate() }
        try await server.waitForPort(port)
        try await body("ws://127.0.0.1:\(port)/")
    }

    /// Runs `wskit` with `arguments` (shell-quoted here) and optional stdin text.
    static func wskit(_ arguments: [String], stdin: String? = nil) async throws -> Run {
        var template = Array("/tmp/wskit-cli-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw ChildProcess.Failure("mkdtemp failed") }
        let directory = String(cString: made)
        let quoted = arguments.map { "'" + $0.replacingSingleQuotes + "'" }.joined(separator: " ")
        var input = "/dev/null"
        if let stdin {
            input = directory + "/in.txt"
            try PythonJSONSchema.write(stdin, to: input)
        }
        let process = try ChildProcess(
            shell: "'\(try builtExecutable("wskit"))' \(quoted) < \(input) > \(directory)/out.txt 2> \(directory)/err.txt",
            logPath: directory + "/log.txt")
        try await process.waitUntil("wskit finished", timeout: 60) { process.exitStatus != nil }
        let status = process.exitStatus ?? -1
        let output = readTextFile(directory + "/out.txt")
        let lines = try output.split(separator: "\n").map { try JSON.parse(String($0)) }
        return Run(status: (status >> 8) & 0xFF, lines: lines, errors: readTextFile(directory + "/err.txt"))
    }

    @Test("call prints progress then the reply and exits 0; a rejected payload exits 1 with RPC_ERROR")
    func call() async throws {
        try await Self.withExample { url in
            let run = try await Self.wskit(["call", url, "RUN_JOB", #"{"steps":3,"name":"x"}"#, "--token", "ada:admin", "--token-query", "token"])
            #expect(run.status == 0, "\(run.errors)")
            #expect(run.lines.map { $0["type"] } == ["$ws:rpc-progress", "$ws:rpc-progress", "RUN_JOB_RESPONSE"])
            #expect(run.lines.last?["payload"] == ["name": "x", "done": 3, "of": 3])

            let rejected = try await Self.wskit(["call", url, "RUN_JOB", #"{"steps":99,"name":"x"}"#, "--token", "ada:admin", "--token-query", "token"])
            #expect(rejected.status == 1)
            #expect(rejected.lines.first?["type"] == "RPC_ERROR")
            #expect(rejected.lines.first?["payload"]?["code"] == "INVALID_ARGUMENT")
        }
    }

    @Test("send exits 0 when accepted and 1 when the server answers ERROR")
    func send() async throws {
        try await Self.withExample { url in
            let accepted = try await Self.wskit(["send", url, "RESET_JOBS", "--token", "ada:admin", "--token-query", "token"])
            #expect(accepted.status == 0, "\(accepted.errors)")
            #expect(accepted.lines.isEmpty)
            let refused = try await Self.wskit(["send", url, "RESET_JOBS", "--token", "bob:member", "--token-query", "token", "--wait", "5000"])
            #expect(refused.status == 1, "\(refused.errors)")
            #expect(refused.lines.first?["type"] == "ERROR")
            #expect(refused.lines.first?["payload"]?["code"] == "PERMISSION_DENIED")
            let unauthorised = try await Self.wskit(["send", url, "RESET_JOBS"])
            #expect(unauthorised.status == 3)
            #expect(unauthorised.errors.contains("401"))
        }
    }

    @Test("connect sends stdin lines and prints every frame received as a JSON line")
    func connect() async throws {
        try await Self.withExample { url in
            let run = try await Self.wskit(
                ["connect", url + "?token=ada:admin", "--wait", "2000"],
                stdin: #"{"type":"RUN_JOB","meta":{"correlationId":"c1"},"payload":{"steps":1,"name":"j"}}"# + "\nNOPE {}\n")
            #expect(run.status == 0, "\(run.errors)")
            let types = run.lines.compactMap { $0["type"]?.stringValue }
            #expect(types.contains("RUN_JOB_RESPONSE"))
            #expect(types.contains("ERROR"))
        }
    }

    @Test("describe lists the operations of the served AsyncAPI document")
    func describe() async throws {
        try await Self.withExample { url in
            let run = try await Self.wskit(["describe", url])
            #expect(run.status == 0, "\(run.errors)")
            let operations = run.lines.compactMap { $0["operation"]?.stringValue }
            #expect(Set(operations) == ["receive_GET_PROFILE", "receive_RENAME", "receive_RUN_JOB", "receive_RESET_JOBS", "send_ERROR", "send_PROFILE"])
            let job = run.lines.first { $0["operation"] == "receive_RUN_JOB" }
            #expect(job?["reply"] == ["RUN_JOB_RESPONSE", "$ws:rpc-progress", "RPC_ERROR"])
        }
    }

    @Test("usage errors exit 2 and connection failures exit 3, with a message on stderr")
    func failures() async throws {
        let usage = try await Self.wskit(["call"])
        #expect(usage.status == 2)
        #expect(usage.errors.contains("usage: wskit"))
        let port = freePort()
        let refused = try await Self.wskit(["call", "ws://127.0.0.1:\(port)/", "X"])
        #expect(refused.status == 3)
        #expect(refused.errors.contains("wskit: connection"))
    }
}

extension String {
    var replacingSingleQuotes: String {
        split(separator: "'", omittingEmptySubsequences: false).joined(separator: #"'\''"#)
    }
}
