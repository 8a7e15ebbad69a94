import Glibc
import Testing
import WSKitContract
import WSKitDescription
import WSKitLiveFixtures

/// The generated typed client module (over the demo's stock `wskit.js`) drives the composition
/// example from Node's WebSocket (Node 20 here: `--experimental-websocket`; Node 24 has it built in).
@Suite("Typed client module from Node against the composition example", .serialized)
struct NodeTypedClientTests {
    static let script = """
        import { createTypedClient } from "./typed-client.js";
        const client = createTypedClient(process.argv[2], { requestTimeoutMs: 20000 });
        await client.connect();
        const progress = [];
        const reply = await client.request("RUN_JOB", { steps: 3, name: "n" }, { onProgress: (p) => progress.push(p.done) });
        let rejected = null;
        try { await client.request("RUN_JOB", { steps: 99, name: "n" }); } catch (error) { rejected = error.code; }
        const profile = await client.request("GET_PROFILE", {});
        console.log(JSON.stringify({ reply, progress, rejected, profile }));
        await client.close();
        process.exit(0);

        """

    @Test("request with progress, a validation error and a second RPC over one connection")
    func drivesTheExample() async throws {
        try await CommandLineClientTests.withExample { url in
            var template = Array("/tmp/wskit-node-XXXXXX".utf8CString)
            guard let made = mkdtemp(&template) else { throw ChildProcess.Failure("mkdtemp failed") }
            let directory = String(cString: made)
            let stock = readTextFile(PythonJSONSchema.repositoryRoot + "/Examples/Demo/Public/wskit.js")
            #expect(!stock.isEmpty)
            try PythonJSONSchema.write(stock, to: directory + "/wskit.js")
            try PythonJSONSchema.write(TypeScriptClient.module(), to: directory + "/typed-client.js")
            try PythonJSONSchema.write(Self.script, to: directory + "/run.mjs")
            try PythonJSONSchema.write(#"{"type":"module"}"#, to: directory + "/package.json")
            let process = try ChildProcess(
                shell: "cd \(directory) && node --experimental-websocket run.mjs '\(url)?token=ada:admin' > out.txt 2> err.txt",
                logPath: directory + "/log.txt")
            try await process.waitUntil("node finished", timeout: 60) { process.exitStatus != nil }
            #expect(process.exitStatus == 0, "\(readTextFile(directory + "/err.txt"))")
            let result = try JSON.parse(readTextFile(directory + "/out.txt"))
            #expect(result["reply"] == ["name": "n", "done": 3, "of": 3])
            #expect(result["progress"] == [1, 2])
            #expect(result["rejected"] == "INVALID_ARGUMENT")
            #expect(result["profile"]?["userId"] == "ada")
        }
    }
}
