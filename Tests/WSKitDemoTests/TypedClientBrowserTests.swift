import Glibc
import Testing
import WSKit
import WSKitDemo
import WSKitDescription
import WSKitLiveFixtures

/// The generated typed client module (`TypeScriptClient.module`, over the demo's own `/wskit.js`)
/// drives the demo from headless Chromium: loaded as an ES module with no build step.
@Suite("Generated typed client in headless Chromium", .serialized)
struct TypedClientBrowserTests {
    @Test("the typed client connects, calls RPCs (with a validation error) and receives a push")
    func drivesTheDemo() async throws {
        let directory = TemporaryDirectory()
        var options = DemoOptions()
        options.port = 0
        options.databasePath = directory.path + "/chat.sqlite"
        let demo = try await DemoServer(options: options, logger: NoLogger())
        try demo.start()
        let port = demo.port
        let chromium = try await HeadlessChromium.launch()
        do {
            let module = TypeScriptClient.module(clientModule: "http://127.0.0.1:\(port)/wskit.js")
            let result = try await runBlocking {
                let page = try BrowserPage(
                    devTools: try DevToolsClient(port: chromium.devToolsPort, path: chromium.devToolsPath), width: 800, height: 600)
                try page.navigate("http://127.0.0.1:\(port)/healthz")
                try page.wait(for: "document.readyState === 'complete'", "a same-origin document loaded")
                return try page.evaluate("""
                    (async () => {
                      const source = \(JSON.serialize(.string(module)));
                      const m = await import(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
                      const c = m.createTypedClient('/ws/typed?name=Typed', { requestTimeoutMs: 10000 });
                      await c.connect();
                      const out = { state: c.state };
                      const presence = await c.request('LIST_PRESENCE', {});
                      out.selfListed = presence.users.some((u) => u.displayName === 'Typed');
                      try { await c.request('SEND_MESSAGE', { text: '' }); } catch (e) { out.invalid = e.code; }
                      const seen = new Promise((resolve) => { const off = c.on('ROOM_MESSAGE', (row) => { off(); resolve(row); }); });
                      const sent = await c.request('SEND_MESSAGE', { text: 'typed' });
                      const row = await seen;
                      out.push = row.id === sent.id && row.text === 'typed';
                      await c.close();
                      return out;
                    })()
                    """)
            }
            #expect(result["state"] == "open")
            #expect(result["selfListed"] == true)
            #expect(result["invalid"] == "INVALID_ARGUMENT")
            #expect(result["push"] == true)
        } catch {
            await demo.shutdown()
            throw error
        }
        await demo.shutdown()
        withExtendedLifetime(chromium) {}
    }
}
