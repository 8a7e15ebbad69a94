import Glibc
import Testing
import WSKit
import WSKitDemo
import WSKitDescription
import WSKitLiveFixtures

/// The demo serves the client generated from its Swift types (`/typed-client.js`, `/app.d.ts`,
/// `/typed-client.d.ts`) and its AsyncAPI document, and its page runs on the generated client.
@Suite("Demo on the generated client", .serialized)
struct GeneratedClientDemoTests {
    @Test("the page's panes are generated typed clients, and the served files are the generated ones")
    func pageUsesTheGeneratedClient() async throws {
        let directory = TemporaryDirectory()
        var options = DemoOptions()
        options.port = 0
        options.databasePath = directory.path + "/chat.sqlite"
        let demo = try await DemoServer(options: options, logger: NoLogger())
        try demo.start()
        let port = demo.port
        let expected = TypeScriptClient.module(demo.apiDescription, clientModule: "./wskit.js")
        let declarations = TypeScriptDeclarations.generate(demo.apiDescription)
        let chromium = try await HeadlessChromium.launch()
        do {
            let result = try await runBlocking {
                let page = try BrowserPage(
                    devTools: try DevToolsClient(port: chromium.devToolsPort, path: chromium.devToolsPath), width: 1200, height: 800)
                try page.navigate("http://127.0.0.1:\(port)/")
                try page.wait(for: "document.readyState === 'complete' && window.wskitDemo", "the page loaded")
                _ = try page.evaluate("wskitDemo.connect('generated', 'Gen'), true")
                try page.wait(for: "[...wskitDemo.panes][0].client.state === 'open'", "the pane connected")
                _ = try page.evaluate("[...wskitDemo.panes][0].client.request('SEND_MESSAGE', { text: 'via the generated client' }).then(() => true)")
                try page.wait(
                    for: "[...document.querySelectorAll('.pane .msg')].some((m) => m.textContent.includes('via the generated client'))",
                    "the message shown")
                return try page.evaluate("""
                    (async () => {
                      const client = [...wskitDemo.panes][0].client;
                      const served = await (await fetch('/typed-client.js')).text();
                      const app = await (await fetch('/app.d.ts')).text();
                      return { call: typeof client.call, subscribe: typeof client.subscribe,
                               served: served === \(JSON.serialize(.string(expected))),
                               app: app === \(JSON.serialize(.string(declarations))) };
                    })()
                    """)
            }
            #expect(result["call"] == "function")
            #expect(result["subscribe"] == "function")
            #expect(result["served"] == true, "/typed-client.js is generated from the demo's description")
            #expect(result["app"] == true, "/app.d.ts is generated from the demo's description")
        } catch {
            await demo.shutdown()
            throw error
        }
        await demo.shutdown()
        withExtendedLifetime(chromium) {}
    }

    @Test("wskit describe lists the demo's operations from its served AsyncAPI document")
    func describeTheDemo() async throws {
        try await withDemoServer { _, port in
            let run = try CommandLineSubscribeTests.Run(["describe", "ws://127.0.0.1:\(port)/ws"])
            try run.wait("wskit to exit") { run.status != nil }
            #expect(run.status == 0, "\(run.errors)")
            let operations = Set(run.lines.compactMap { $0["operation"]?.stringValue })
            #expect(operations.isSuperset(of: ["receive_SEND_MESSAGE", "receive_LIST_HISTORY", "send_ROOM_MESSAGE", "send_USER_JOINED"]))
        }
    }
}
