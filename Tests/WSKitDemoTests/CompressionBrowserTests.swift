import Glibc
import Testing
import WSKit
import WSKitDemo
import WSKitLiveFixtures

/// Chromium (which offers permessage-deflate on every WebSocket) against wskit-echo and the
/// demo, each behind a `FrameTap` that counts compressed frames on the wire.
@Suite("permessage-deflate interop: headless Chromium against wskit-echo and the demo", .serialized)
struct CompressionBrowserTests {
    @Test("the extension is negotiated and compressed frames flow both ways")
    func chromiumCompresses() async throws {
        let echoPort = freePort()
        let echo = try ChildProcess(try builtExecutable("wskit-echo"), ["--port", String(echoPort), "--loops", "1"])
        defer { echo.terminate() }
        try await echo.waitForPort(echoPort)
        let echoTap = try FrameTap(upstreamPort: echoPort)

        let directory = TemporaryDirectory()
        var options = DemoOptions()
        options.port = 0
        options.databasePath = directory.path + "/chat.sqlite"
        let demo = try await DemoServer(options: options, logger: NoLogger())
        try demo.start()
        let demoPort = demo.port
        let demoTap = try FrameTap(upstreamPort: demoPort)
        let chromium = try await HeadlessChromium.launch()
        do {
            let (echoResult, demoResult) = try await runBlocking { () throws -> (JSONValue, JSONValue) in
                let page = try BrowserPage(
                    devTools: try DevToolsClient(port: chromium.devToolsPort, path: chromium.devToolsPath), width: 800, height: 600)
                try page.navigate("http://127.0.0.1:\(demoPort)/healthz")
                try page.wait(for: "document.readyState === 'complete'", "a document loaded")
                let echoResult = try page.evaluate("""
                    (async () => {
                      const ws = new WebSocket('ws://127.0.0.1:\(echoTap.port)/');
                      await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
                      const received = [];
                      ws.onmessage = (event) => received.push(event.data);
                      const sent = [];
                      for (let i = 0; i < 5; i++) {
                        const text = JSON.stringify({ seq: i, text: 'compressible chat text '.repeat(50 + i) });
                        sent.push(text);
                        ws.send(text);
                      }
                      while (received.length < sent.length) await new Promise((r) => setTimeout(r, 20));
                      ws.close();
                      return { extensions: ws.extensions, same: JSON.stringify(received) === JSON.stringify(sent) };
                    })()
                    """)
                let demoResult = try page.evaluate("""
                    (async () => {
                      const ws = new WebSocket('ws://127.0.0.1:\(demoTap.port)/ws/deflate?name=Zip');
                      await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
                      const replies = new Map();
                      ws.onmessage = (event) => {
                        const message = JSON.parse(event.data);
                        const id = message.meta && message.meta.correlationId;
                        if (id) replies.set(id, message);
                      };
                      const call = async (type, id, payload) => {
                        ws.send(JSON.stringify({ type, meta: { correlationId: id }, payload }));
                        while (!replies.has(id)) await new Promise((r) => setTimeout(r, 20));
                        return replies.get(id);
                      };
                      for (let i = 0; i < 3; i++) {
                        await call('SEND_MESSAGE', 's' + i, { text: 'a message long enough to be compressed '.repeat(20) + i });
                      }
                      const history = await call('LIST_HISTORY', 'h', {});
                      ws.close();
                      return { extensions: ws.extensions, type: history.type, count: history.payload.messages.length };
                    })()
                    """)
                return (echoResult, demoResult)
            }
            #expect(echoResult["same"] == .bool(true))
            #expect(echoResult["extensions"]?.stringValue?.hasPrefix("permessage-deflate") == true, "\(echoResult)")
            #expect(echoTap.toServer.compressedFrames == 5, "Chromium compressed its messages")
            #expect(echoTap.toClient.compressedFrames == 5, "wskit-echo compressed its echoes")

            #expect(demoResult["extensions"]?.stringValue?.hasPrefix("permessage-deflate") == true, "\(demoResult)")
            #expect(demoResult["type"] == .string("HISTORY") && demoResult["count"] == .number(3), "\(demoResult)")
            #expect(demoTap.toServer.compressedFrames >= 4, "Chromium compressed its requests")
            #expect(demoTap.toClient.compressedFrames >= 1, "the demo compressed the history reply")
        } catch {
            await demo.shutdown()
            throw error
        }
        await demo.shutdown()
        withExtendedLifetime(chromium) {}
    }
}
