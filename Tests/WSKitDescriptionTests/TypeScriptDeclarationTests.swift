import Glibc
import Testing
import WSKitContract
import WSKitDescription
import WSKitLiveFixtures

/// The generated declarations compile under `tsc --strict` with a typed program, and `tsc`
/// catches a wrong payload field in that program.
@Suite("TypeScript declarations", .serialized)
struct TypeScriptDeclarationTests {
    static let program = """
        import type { ClientMessages, RPCs, ServerPushes, WireErrorPayload } from "./app";

        declare function send<K extends keyof ClientMessages>(type: K, payload: ClientMessages[K]): void;
        declare function request<K extends keyof RPCs>(type: K, payload: RPCs[K]["request"]): Promise<RPCs[K]["response"]>;
        declare function on<K extends keyof ServerPushes>(type: K, handler: (payload: ServerPushes[K]) => void): void;

        send("POST_NOTE", {
          text: "hi", room: "a", mood: "sad", visibility: "public", tags: [], attachments: [{ name: "f", bytes: 1 }],
          score: 1, urgent: false, level: 3, priority: null,
        });
        send("CLEAR", {});
        send("SEARCH", { query: "cats", order: "asc" });
        async function main(): Promise<void> {
          const found = await request("FIND_NOTES", { query: "x" });
          const first: string | undefined = found.ids[0];
          const done: boolean = found.done;
          console.log(first, done);
        }
        on("NOTE_ADDED", (note) => { const at: number = note.at; console.log(at, note.text.length); });
        const error: WireErrorPayload = { code: "NOT_FOUND", message: "no" };
        console.log(main, error);

        """

    /// Runs `tsc --strict --noEmit` on `app.d.ts` (the declarations) and `program.ts`.
    static func compile(_ program: String) async throws -> (status: Int32, output: String) {
        var template = Array("/tmp/wskit-ts-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw ChildProcess.Failure("mkdtemp failed") }
        let directory = String(cString: made)
        try PythonJSONSchema.write(TypeScriptDeclarations.generate(describedApp()), to: directory + "/app.d.ts")
        try PythonJSONSchema.write(program, to: directory + "/program.ts")
        let process = try ChildProcess(
            shell: "cd \(directory) && tsc --strict --noEmit --target es2020 --module es2020 --lib es2020,dom program.ts > out.txt 2>&1",
            logPath: directory + "/log.txt")
        try await process.waitUntil("tsc finished", timeout: 120) { process.exitStatus != nil }
        return ((process.exitStatus ?? -1) >> 8 & 0xFF, readTextFile(directory + "/out.txt"))
    }

    @Test("a typed program using every map compiles under tsc --strict")
    func compiles() async throws {
        let result = try await Self.compile(Self.program)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("tsc rejects a wrong payload field, a wrong enum value and a missing field")
    func catchesErrors() async throws {
        let wrongField = try await Self.compile(Self.program + #"send("SEARCH", { query: "x", order: "asc", limt: 3 });"# + "\n")
        #expect(wrongField.status != 0)
        #expect(wrongField.output.contains("limt"))
        let wrongEnum = try await Self.compile(Self.program + #"send("SEARCH", { query: "x", order: "sideways" });"# + "\n")
        #expect(wrongEnum.status != 0)
        #expect(wrongEnum.output.contains("sideways"))
        let missing = try await Self.compile(Self.program + #"request("FIND_NOTES", {});"# + "\n")
        #expect(missing.status != 0)
        #expect(missing.output.contains("query"))
    }
}

/// The typed browser client module: its declarations compile with the stock client's
/// (`Examples/Demo/Public/wskit.d.ts`) and type `send`, `request` and `on`.
@Suite("Typed browser client module", .serialized)
struct TypedClientModuleTests {
    static let program = """
        import { createTypedClient } from "./typed-client.js";

        const client = createTypedClient("/ws", { requestTimeoutMs: 5000 });
        const outcome: "sent" | "queued" | "dropped" = client.send("SEARCH", { query: "cats", order: "desc", limit: 5 });
        client.on("NOTE_ADDED", (note, envelope) => console.log(note.id, envelope.type));
        async function main(): Promise<void> {
          const controller = new AbortController();
          const found = await client.request("FIND_NOTES", { query: "x" }, {
            signal: controller.signal, onProgress: (update) => console.log(update.ids.length),
          });
          console.log(found.done, outcome, client.state);
          await client.request("TOUCH", {});
          const acknowledged: void = await client.call("TOUCH", {});
          const reply = await client.call("FIND_NOTES", { query: "y" });
          const sent: "sent" | "queued" = await client.call("SEARCH", { query: "dogs", order: "asc" });
          console.log(acknowledged, reply.ids, sent);
          const feed = client.subscribe("notes", (note) => console.log(note.id), { onSubscribed: (answer) => console.log(answer.recovered) });
          await feed.ready;
          console.log(feed.recovered, feed.position?.offset, feed.error?.code);
        }
        console.log(main);

        """

    static func compile(_ program: String) async throws -> (status: Int32, output: String) {
        var template = Array("/tmp/wskit-tsclient-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw ChildProcess.Failure("mkdtemp failed") }
        let directory = String(cString: made)
        let stock = readTextFile(PythonJSONSchema.repositoryRoot + "/Examples/Demo/Public/wskit.d.ts")
        try PythonJSONSchema.write(stock, to: directory + "/wskit.d.ts")
        try PythonJSONSchema.write(TypeScriptDeclarations.generate(describedApp()), to: directory + "/app.d.ts")
        try PythonJSONSchema.write(TypeScriptClient.declarations(), to: directory + "/typed-client.d.ts")
        try PythonJSONSchema.write(TypeScriptClient.module(describedApp()), to: directory + "/typed-client.js")
        try PythonJSONSchema.write(program, to: directory + "/program.ts")
        let process = try ChildProcess(
            shell: "cd \(directory) && tsc --strict --noEmit --target es2020 --module esnext --moduleResolution node "
                + "--lib es2020,dom program.ts > out.txt 2>&1 && node --check typed-client.js >> out.txt 2>&1",
            logPath: directory + "/log.txt")
        try await process.waitUntil("tsc finished", timeout: 120) { process.exitStatus != nil }
        return ((process.exitStatus ?? -1) >> 8 & 0xFF, readTextFile(directory + "/out.txt"))
    }

    @Test("a program using the typed client compiles under tsc --strict; the module is valid JavaScript")
    func compiles() async throws {
        let result = try await Self.compile(Self.program)
        #expect(!PythonJSONSchema.repositoryRoot.isEmpty)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("the typed client rejects a wrong field, an unknown type and a wrong progress field")
    func catchesErrors() async throws {
        let wrongField = try await Self.compile(Self.program + #"client.send("SEARCH", { query: "x", order: "asc", sort: 1 });"# + "\n")
        #expect(wrongField.status != 0)
        #expect(wrongField.output.contains("sort"))
        let unknown = try await Self.compile(Self.program + #"client.send("NOPE", {});"# + "\n")
        #expect(unknown.status != 0)
        #expect(unknown.output.contains("NOPE"))
        let progress = try await Self.compile(
            Self.program + #"client.request("FIND_NOTES", { query: "x" }, { onProgress: (u) => console.log(u.count) });"# + "\n")
        #expect(progress.status != 0)
        #expect(progress.output.contains("count"))
        let callField = try await Self.compile(Self.program + #"client.call("FIND_NOTES", { query: "x", limit: 1 });"# + "\n")
        #expect(callField.status != 0)
        #expect(callField.output.contains("limit"))
        let ackValue = try await Self.compile(Self.program + #"client.call("TOUCH", {}).then((r) => r.ids);"# + "\n")
        #expect(ackValue.status != 0, "an acknowledgement resolves with nothing")
        #expect(ackValue.output.contains("ids"))
    }
}
