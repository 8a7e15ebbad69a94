#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import WSKitContract
import WSKitProtocol
import WSKitLiveFixtures
@testable import WSKitClient

/// A server that is not WSKit: Python's `websockets` package (PyPI), answering the test
/// messages. Needs a Python with `websockets`: `$WSKIT_PYTHON`, else the conformance venv
/// (`../shared/conformance/install.sh` creates `~/.cache/wskit-conformance-venv`).
final class PythonServer: @unchecked Sendable {
    static let script = #"""
    import asyncio, json, sys
    from websockets.asyncio.server import serve

    async def handler(ws):
        async for raw in ws:
            message = json.loads(raw)
            kind = message.get("type")
            correlation = message.get("meta", {}).get("correlationId")
            if kind == "ECHO":
                await ws.send(json.dumps({"type": "ECHOED", "meta": {"correlationId": correlation},
                                          "payload": message.get("payload")}))
            elif kind == "LEGACY":
                await ws.send(json.dumps({"type": "$ws:rpc-progress", "meta": {"correlationId": correlation},
                                          "data": {"text": "legacy step"}}))
                await ws.send(json.dumps({"type": "ECHOED", "meta": {"correlationId": correlation},
                                          "payload": message.get("payload")}))
            elif kind == "NOTIFY":
                await ws.send(json.dumps({"type": "NEWS", "payload": message.get("payload")}))
            elif kind == "KICK":
                await ws.close(message["payload"]["n"], "kicked")

    async def main():
        port = int(sys.argv[1])
        async with serve(handler, "127.0.0.1", port, subprotocols=["chat.v1"],
                         ping_interval=0.1, ping_timeout=0.5) as server:
            print(server.sockets[0].getsockname()[1], flush=True)
            await asyncio.Future()

    asyncio.run(main())
    """#

    let process: ChildProcess
    let port: Int

    /// The Python to use, or a test failure explaining how to get one.
    static func python() throws -> String {
        let candidates = [
            getenv("WSKIT_PYTHON").map { String(cString: $0) },
            getenv("XDG_CACHE_HOME").map { String(cString: $0) + "/wskit-conformance-venv/bin/python" },
            getenv("HOME").map { String(cString: $0) + "/.cache/wskit-conformance-venv/bin/python" },
        ].compactMap { $0 }
        do {
            return try installedExecutable(candidates, install: "")
        } catch {
            throw InteropPrerequisite(
                "no Python with the websockets package: run ../shared/conformance/install.sh "
                    + "(creates ~/.cache/wskit-conformance-venv) or set WSKIT_PYTHON; looked at \(candidates)")
        }
    }

    private init(process: ChildProcess, port: Int) {
        self.process = process
        self.port = port
    }

    /// Starts the server on `port` (0: any) and waits for the port it prints.
    static func start(port: Int = 0) async throws -> PythonServer {
        let path = "/tmp/wskit-client-interop-\(getpid())-\(UInt32.random(in: 0 ... .max)).py"
        defer { unlink(path) }
        let file = fopen(path, "w")
        fputs(Self.script, file)
        fclose(file)
        let process = try ChildProcess(try python(), ["-u", path, String(port)])
        let line: String
        do {
            line = try await process.waitForLine("its port") { Int($0) != nil }
        } catch {
            throw InteropPrerequisite("the Python websockets server did not start (is `websockets` installed?): \(error)")
        }
        return PythonServer(process: process, port: Int(line)!)
    }

    var url: String { "ws://127.0.0.1:\(port)/" }
}

struct InteropPrerequisite: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

@Suite("Interop with a non-WSKit server (Python websockets)")
struct InteropTests {
    func client(_ url: String) throws -> WebSocketClient {
        var configuration = WebSocketClientConfiguration(url: try WebSocketURL(url))
        configuration.connection.subprotocols = ["chat.v1"]
        configuration.reconnect = ReconnectPolicy(initialDelay: .milliseconds(20), maxDelay: .milliseconds(200))
        return WebSocketClient(configuration: configuration)
    }

    @Test("handshake with subprotocol, typed request and push, pings answered, clean close")
    func roundTrip() async throws {
        let server = try await PythonServer.start()
        defer { withExtendedLifetime(server) {} }
        let client = try client(server.url)
        let news = client.messages(of: News.self)
        try await client.connect()
        #expect(client.subprotocol == "chat.v1")
        #expect(try await client.request(Echo.self, Text(text: "über python")).text == "über python")
        try client.send(Notify.self, Text(text: "pushed"))
        var iterator = news.makeAsyncIterator()
        #expect(await iterator.next()?.payload.text == "pushed")
        var steps: [String] = []
        #expect(try await client.request(Legacy.self, Text(text: "ok")) { steps.append($0.text) }.text == "ok")
        #expect(steps == ["legacy step"], "progress in WS-Kit's `data` field is accepted")
        // websockets pings every 100 ms and closes the connection (1011) if a pong is 500 ms late.
        try await Task.sleep(for: .milliseconds(800))
        #expect(client.state == .open)
        #expect(try await client.request(Echo.self, Text(text: "still here")).text == "still here")
        await client.close()
        #expect(client.lastClose?.cause == .clientClosed)
        #expect(client.lastClose?.code == .normalClosure)
        #expect(client.lastClose?.wasClean == true)
    }

    @Test("the server's close code reaches the client; a killed and restarted server is reconnected to")
    func closeAndRestart() async throws {
        let first = try await PythonServer.start()
        defer { withExtendedLifetime(first) {} }
        let client = try client(first.url)
        try await client.connect()
        try client.send(Kick.self, Count(n: 4001))
        #expect(await eventually { client.lastClose?.code.rawValue == 4001 })
        #expect(client.lastClose?.cause == .serverClosed)
        await waitForState(client, .open)

        let pending = try client.call(Hang.self, Text(text: "lost"))
        first.process.kill()
        guard case .failure(.connectionClosed) = await pending.completion.value(onCancel: {}) else {
            Issue.record("the pending request should fail when the server dies")
            return
        }
        await waitForState(client, .reconnecting)
        let second = try await PythonServer.start(port: first.port)
        defer { withExtendedLifetime(second) {} }
        await waitForState(client, .open)
        #expect(try await client.request(Echo.self, Text(text: "again")).text == "again")
        await client.close()
    }
}
