import Glibc
import Testing
import WSKit
import WSKitDemo
import WSKitLiveFixtures

/// Recovery in the browser (issue 15): wskit.js remembers the last `(epoch, offset)` of each
/// subscribed topic and resubscribes from it after every reconnect; the demo's panes show what
/// was sent while they were away without reloading the history, and say so.
@Suite("Recovery in headless Chromium", .serialized)
struct RecoveryBrowserTests {
    /// Runs `body` on a page of an in-process demo server (a fresh database).
    static func withPage(_ body: @escaping @Sendable (BrowserPage, DemoServer) throws -> Void) async throws {
        let chromium = try await HeadlessChromium.launch()
        try await withDemoServer { demo, port in
            let page = try BrowserPage(
                devTools: try DevToolsClient(port: chromium.devToolsPort, path: chromium.devToolsPath), width: 1200, height: 800)
            try page.navigate("http://127.0.0.1:\(port)/")
            try page.wait(for: "document.readyState === 'complete' && window.wskitDemo", "the page loaded")
            try body(page, demo)
        }
        withExtendedLifetime(chromium) {}
    }

    @Test("wskit.js: a subscription made offline is sent on open; after a cut it resubscribes from its last offset and the missed messages arrive once, in order")
    func browserClientRecovers() async throws {
        try await Self.withPage { page, _ in
            let result = try page.evaluate("""
                (async () => {
                  const m = await import('/wskit.js');
                  const out = {};
                  const until = async (f) => { for (let i = 0; i < 1000 && !f(); i++) await new Promise((r) => setTimeout(r, 10)); return f(); };
                  const a = new m.WSKitClient('/ws/recovery?name=Reader&recover=1', { reconnect: { initialDelayMs: 50, maxDelayMs: 200 } });
                  const b = new m.WSKitClient('/ws/recovery?name=Writer');
                  const events = [], rows = [];
                  a.onSubscribed((event) => events.push(event));
                  a.on('ROOM_MESSAGE', (row, envelope) => rows.push({ id: row.id, offset: envelope.meta.offset }));
                  a.subscribe('chat:recovery');          // offline: sent when the connection opens
                  a.subscribe('chat:recovery');          // idempotent
                  out.topicsBefore = a.topics;
                  await a.connect();
                  await b.connect();
                  out.firstAnswered = await until(() => events.length === 1);
                  out.first = events[0];
                  const sent = [];
                  sent.push((await b.request('SEND_MESSAGE', { text: 'before the cut' })).id);
                  out.live = await until(() => rows.length === 1);
                  out.positionIsLastRow = a.position('chat:recovery').offset === rows[0].offset;
                  const afterFirst = a.position('chat:recovery');
                  // The socket dies; the reconnect waits a second, while three messages are sent.
                  a.options.reconnect = { ...a.options.reconnect, initialDelayMs: 1000, jitter: 'none' };
                  a._ws.close();
                  out.away = await until(() => a.state === 'reconnecting');
                  for (const text of ['one', 'two', 'three']) sent.push((await b.request('SEND_MESSAGE', { text })).id);
                  out.missedWhileAway = rows.length === 1;
                  out.back = await until(() => events.length === 2 && rows.length === 4);
                  await new Promise((r) => setTimeout(r, 200));    // nothing more arrives
                  out.second = events[1];
                  out.rows = rows.map((r) => r.id);
                  out.sent = sent;
                  out.offsetsIncrease = rows.every((r, i) => i === 0 || r.offset > rows[i - 1].offset);
                  out.positionAtEnd = a.position('chat:recovery');
                  out.lastOffset = rows[rows.length - 1].offset;
                  // A topic the server refuses (longer than the demo's 512-byte limit): the
                  // error ends that subscription.
                  a.subscribe('chat:' + 'x'.repeat(600));
                  out.refused = await until(() => events.length === 3);
                  out.third = events[2];
                  out.topicsAfter = a.topics;
                  // A new client (a reloaded page) starts from a saved position: wskit.js and the
                  // generated client both get the three messages after it replayed.
                  const { createTypedClient } = await import('/typed-client.js');
                  const late = {};
                  for (const [name, make] of [['stock', (url) => new m.WSKitClient(url)], ['generated', (url) => createTypedClient(url)]]) {
                    const c = make('/ws/recovery?name=Late&recover=1');
                    const answers = [], ids = [];
                    c.on('ROOM_MESSAGE', (row) => ids.push(row.id));
                    if (name === 'stock') {
                      c.onSubscribed((event) => answers.push(event));
                      c.subscribe('chat:recovery', { from: afterFirst });
                    } else {
                      c.subscribe('chat:recovery', () => {}, { from: afterFirst, onSubscribed: (event) => answers.push(event) });
                    }
                    await c.connect();
                    await until(() => answers.length >= 1 && ids.length >= 3);
                    await new Promise((r) => setTimeout(r, 100));
                    late[name] = { answer: answers[0] ?? null, ids };
                    await c.close();
                  }
                  out.late = late;
                  await a.close();
                  await b.close();
                  return out;
                })()
                """)
            #expect(result["topicsBefore"]?.arrayValue?.compactMap(\.stringValue) == ["chat:recovery"])
            #expect(result["firstAnswered"]?.boolValue == true)
            #expect(result["first"]?["recovered"]?.boolValue == false, "a first subscription has nothing to recover")
            #expect(result["first"]?["epoch"]?.stringValue?.isEmpty == false)
            #expect(result["live"]?.boolValue == true)
            #expect(result["positionIsLastRow"]?.boolValue == true, "the position follows the publications received")
            #expect(result["away"]?.boolValue == true)
            #expect(result["missedWhileAway"]?.boolValue == true)
            #expect(result["back"]?.boolValue == true, "the reconnected client received the three missed messages")
            #expect(result["second"]?["recovered"]?.boolValue == true)
            // The three messages, and the reader's own leave and join (room events are in the stream).
            #expect((result["second"]?["replayed"]?.intValue ?? 0) >= 3)
            #expect(result["rows"] == result["sent"], "every message once, in order")
            #expect(result["offsetsIncrease"]?.boolValue == true)
            #expect(result["positionAtEnd"]?["offset"]?.intValue == result["lastOffset"]?.intValue)
            #expect(result["refused"]?.boolValue == true)
            #expect(result["third"]?["error"]?["code"]?.stringValue?.isEmpty == false, "refused: \(result["third"] ?? .null)")
            #expect(result["topicsAfter"]?.arrayValue?.compactMap(\.stringValue) == ["chat:recovery"])
            let missed = result["sent"]?.arrayValue.map { Array($0.dropFirst()) }
            for client in ["stock", "generated"] {
                #expect(result["late"]?[client]?["answer"]?["recovered"]?.boolValue == true, "\(client): \(result["late"]?[client] ?? .null)")
                #expect(result["late"]?[client]?["ids"]?.arrayValue == missed, "\(client): the three messages after the saved position, once, in order")
            }
        }
    }

    static func pane(_ index: Int) -> String { "document.querySelectorAll('.pane')[\(index)]" }

    @Test("the demo: a pane whose socket was cut shows the messages sent meanwhile once, says it recovered, and reloads nothing")
    func paneRecovers() async throws {
        try await Self.withPage { page, _ in
            let (ada, grace) = (Self.pane(0), Self.pane(1))
            try page.evaluate("wskitDemo.connect('streams', 'Ada'); wskitDemo.connect('streams', 'Grace'); true")
            for pane in [ada, grace] {
                try page.wait(for: "\(pane).querySelector('.badge').dataset.state === 'open'", "both panes connected")
                try page.wait(for: "\(pane).dataset.recovery === 'loaded'", "the history was loaded once")
                try page.wait(for: "\(pane).querySelectorAll('.users li').length === 2", "both see two users")
            }
            let send = { (text: String) in
                _ = try page.evaluate("""
                    \(grace).querySelector('.composer .text').value = \(JSON.serialize(.string(text)));
                    \(grace).querySelector('.composer .send').click(); true
                    """)
            }
            try send("before")
            try page.wait(for: "\(ada).querySelectorAll('.msg').length === 1", "Ada sees the first message")

            // Ada's socket is cut; she reconnects after 1.5 s, while Grace sends three messages.
            try page.evaluate("""
                (() => {
                  const adaPane = [...wskitDemo.panes][0];
                  adaPane.client.options.reconnect = { ...adaPane.client.options.reconnect, initialDelayMs: 1500, jitter: 'none' };
                  adaPane.client._ws.close();
                  return true;
                })()
                """)
            try page.wait(for: "\(ada).querySelector('.badge').dataset.state === 'reconnecting'", "Ada is away")
            for text in ["while away 1", "while away 2", "while away 3"] { try send(text) }
            try page.wait(for: "\(grace).querySelectorAll('.msg').length === 4", "Grace sees her messages")
            #expect(try page.evaluate("\(ada).querySelectorAll('.msg').length").intValue == 1, "Ada missed them while away")

            try page.wait(for: "\(ada).dataset.recovery === 'recovered'", timeout: 10, "Ada's pane recovered")
            let expected = ["before", "while away 1", "while away 2", "while away 3"]
            try page.wait(
                for: "[...\(ada).querySelectorAll('.msg .text')].map(n => n.textContent).join('|') === \(JSON.serialize(.string(expected.joined(separator: "|"))))",
                "the missed messages appear in order")
            Glibc.usleep(300_000)
            #expect(try page.evaluate("\(ada).querySelectorAll('.msg').length").intValue == 4, "each once")
            #expect(try page.evaluate("\(ada).querySelectorAll('.msg.history').length").intValue == 0, "nothing was reloaded")
            #expect(try page.evaluate("\(ada).querySelector('.log').innerText.includes('Reconnected — recovered')").boolValue == true)
            #expect(try page.evaluate("\(ada).querySelector('.log').innerText.includes('history reloaded')").boolValue == false)
            #expect(try page.evaluate("\(ada).querySelector('.log').innerText.includes('Ada left')").boolValue == false,
                    "the replayed leave of Ada's own previous connection is not shown")
            let deliveries = try page.evaluate("(() => { const d = [...wskitDemo.panes][0].deliveries; return d.length === new Set(d).size && d.length === 4; })()")
            #expect(deliveries.boolValue == true, "the client received each message once")
        }
    }
}
