import Glibc
import Testing
import WSKit
import WSKitLiveFixtures

/// `wskit subscribe` run as a child process against the demo: the `$ws:subscribed` answer, then
/// a room's publications as JSON lines, while another pane chats in that room.
@Suite("wskit subscribe against the demo", .serialized)
struct CommandLineSubscribeTests {
    /// `wskit` started with its stdout and stderr in files of a temporary directory.
    final class Run: @unchecked Sendable {
        let process: ChildProcess
        let directory = TemporaryDirectory()

        init(_ arguments: [String]) throws {
            let quoted = arguments.map { "'" + $0 + "'" }.joined(separator: " ")
            process = try ChildProcess(
                shell: "'\(try builtExecutable("wskit"))' \(quoted) < /dev/null > \(directory.path)/out.txt 2> \(directory.path)/err.txt",
                logPath: directory.path + "/log.txt")
        }

        var lines: [JSONValue] {
            readTextFile(directory.path + "/out.txt").split(separator: "\n").compactMap { try? JSON.parse(String($0)) }
        }
        var errors: String { readTextFile(directory.path + "/err.txt") }
        var status: Int32? { process.exitStatus.map { ($0 >> 8) & 0xFF } }

        /// Blocks (this runs on a thread of its own) until `condition` or 30 s.
        func wait(_ what: String, _ condition: () -> Bool) throws {
            for _ in 0..<3000 {
                if condition() { return }
                usleep(10_000)
            }
            throw ChildProcess.Failure("timed out waiting for \(what): \(errors)")
        }
    }

    @Test("prints the answer, then the room's publications in order, and stops after --count")
    func publications() async throws {
        try await withDemoServer { _, port in
            // Its own room's topic (a demo whose rooms are streams lets a connection subscribe to
            // that one only).
            let run = try Run(["subscribe", "ws://127.0.0.1:\(port)/ws/lobby?name=cli", "chat:lobby", "--count", "3"])
            try run.wait("the $ws:subscribed answer") { !run.lines.isEmpty }
            let answer = run.lines[0]
            #expect(answer["type"] == "$ws:subscribed")
            #expect(answer["payload"]?["topic"] == "chat:lobby")
            #expect(answer["payload"]?["recovered"] == false, "a first subscription, from no position, recovers nothing")

            let ada = try ChatTestClient(port: port, room: "lobby", name: "Ada")
            _ = try ada.request("SEND_MESSAGE", #"{"text":"one"}"#)
            _ = try ada.request("SEND_MESSAGE", #"{"text":"two"}"#)
            try run.wait("wskit to exit") { run.status != nil }
            #expect(run.status == 0, "\(run.errors)")
            let publications = Array(run.lines.dropFirst())
            #expect(publications.map { $0["type"]?.stringValue } == ["USER_JOINED", "ROOM_MESSAGE", "ROOM_MESSAGE"])
            #expect(publications.dropFirst().map { $0["payload"]?["text"]?.stringValue } == ["one", "two"])
            ada.close()
        }
    }

    @Test("a refused subscription prints the error answer and exits 1; a bad position is a usage error")
    func refused() async throws {
        try await withDemoServer { _, port in
            let tooLong = String(repeating: "x", count: 600)
            let run = try Run(["subscribe", "ws://127.0.0.1:\(port)/ws/watcher", tooLong])
            try run.wait("wskit to exit") { run.status != nil }
            #expect(run.status == 1, "\(run.errors)")
            #expect(run.lines.first?["type"] == "$ws:subscribed")
            #expect(run.lines.first?["payload"]?["error"]?["code"] != nil)

            let usage = try Run(["subscribe", "ws://127.0.0.1:\(port)/ws/watcher", "chat:lobby", "--epoch", "e1"])
            try usage.wait("wskit to exit") { usage.status != nil }
            #expect(usage.status == 2)
            #expect(usage.errors.contains("--epoch and --offset go together"))
        }
    }
}
