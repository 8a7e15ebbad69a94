import Glibc
import Testing
import WSKit
import WSKitDemo
import WSKitLiveFixtures

/// wskit.js itself, in Chromium against the demo server: states, requests and their errors,
/// abort, the rate limit as seen by a client, handlers, the offline queue and request timeouts
/// while the server is down, reconnection, close.
@Suite("wskit.js in headless Chromium", .serialized)
struct BrowserClientTests {
    @Test("states, request errors, abort, handlers, offline queue, timeout while down, reconnect, close")
    func clientSemantics() async throws {
        let directory = TemporaryDirectory()
        var options = DemoOptions()
        options.port = 0
        options.databasePath = directory.path + "/chat.sqlite"
        var demo: DemoServer? = try await DemoServer(options: options, logger: NoLogger())
        try demo!.start()
        options.port = demo!.port
        let port = options.port
        let chromium = try await HeadlessChromium.launch()
        do {
            let page = try await runBlocking {
                let page = try BrowserPage(
                    devTools: try DevToolsClient(port: chromium.devToolsPort, path: chromium.devToolsPath), width: 800, height: 600)
                try Self.whileUp(page, port: port)
                return page
            }
            await demo?.shutdown()
            demo = nil
            try await runBlocking { try Self.whileDown(page) }
            demo = try await DemoServer(options: options, logger: NoLogger())
            try demo!.start()
            try await runBlocking { try Self.afterRestart(page) }
        } catch {
            await demo?.shutdown()
            throw error
        }
        await demo?.shutdown()
        withExtendedLifetime(chromium) {}
    }

    static func whileUp(_ page: BrowserPage, port: Int) throws {
        try page.navigate("http://127.0.0.1:\(port)/healthz")
        try page.wait(for: "document.readyState === 'complete'", "a same-origin document loaded")
        let result = try page.evaluate("""
            (async () => {
              const m = await import('/wskit.js');
              const out = {};
              const c = new m.WSKitClient('/ws/js-tests?name=Tester', { reconnect: { initialDelayMs: 50, maxDelayMs: 200 } });
              const p = c.presence('js-tests');
              window.t = { m, c, p, states: [], presenceLog: [] };
              c.onState((s) => window.t.states.push(s));
              p.onJoin((key, cameOnline) => window.t.presenceLog.push(cameOnline ? 'online' : 'join'));
              p.onLeave((key, wentOffline) => window.t.presenceLog.push(wentOffline ? 'offline' : 'leave'));
              out.initial = c.state;
              try { await c.request('LIST_PRESENCE', {}); } catch (e) { out.notConnected = e instanceof m.StateError ? e.kind : String(e); }
              await c.connect();
              out.open = c.state;
              const presence = await c.request('LIST_PRESENCE', {});
              out.selfListed = presence.users.some((u) => u.userId === presence.selfUserId && u.displayName === 'Tester');
              // The presence model: a second client comes online, then goes offline.
              const until = async (f) => { for (let i = 0; i < 500 && !f(); i++) await new Promise((r) => setTimeout(r, 10)); return f(); };
              out.modelSelf = await until(() => p.isOnline(presence.selfUserId));
              const other = new m.WSKitClient('/ws/js-tests?name=Other');
              await other.connect();
              out.modelTwo = await until(() => p.count === 2)
                && p.list().map((u) => u.metas[0].displayName).sort().join(',') === 'Other,Tester';
              await other.close();
              out.modelOne = await until(() => p.count === 1);
              out.presenceLog = window.t.presenceLog.join(' ');
              try { await c.request('SEND_MESSAGE', { text: '' }); } catch (e) {
                out.invalid = { rpc: e instanceof m.RpcError, code: e.code, path: e.details?.issues?.[0]?.path, retryable: e.retryable };
              }
              const abort = new AbortController();
              const aborted = c.request('LIST_HISTORY', {}, { signal: abort.signal });
              abort.abort();
              try { await aborted; out.aborted = 'resolved'; } catch (e) { out.aborted = e instanceof m.AbortError; }
              const burst = await Promise.allSettled(Array.from({ length: 15 }, () => c.request('LIST_HISTORY', { limit: 1 })));
              const limited = burst.filter((r) => r.status === 'rejected' && r.reason.code === 'RESOURCE_EXHAUSTED');
              out.limited = limited.length;
              out.retryAfterMs = limited[0]?.reason.retryAfterMs ?? 0;
              out.limitedRetryable = limited[0]?.reason.retryable ?? false;
              await new Promise((r) => setTimeout(r, 1100));
              const seen = new Promise((resolve) => { const off = c.on('ROOM_MESSAGE', (row) => { off(); resolve(row); }); });
              const sent = await c.request('SEND_MESSAGE', { text: 'from wskit.js' });
              const row = await seen;
              out.pushMatches = row.id === sent.id && row.text === 'from wskit.js';
              return out;
            })()
            """)
        #expect(result["initial"]?.stringValue == "closed")
        #expect(result["notConnected"]?.stringValue == "notConnected", "a request on a closed client without autoConnect is refused")
        #expect(result["open"]?.stringValue == "open")
        #expect(result["selfListed"]?.boolValue == true)
        #expect(result["modelSelf"]?.boolValue == true)
        #expect(result["modelTwo"]?.boolValue == true)
        #expect(result["modelOne"]?.boolValue == true)
        #expect(result["presenceLog"]?.stringValue == "online online offline")
        #expect(result["invalid"]?["rpc"]?.boolValue == true)
        #expect(result["invalid"]?["code"]?.stringValue == "INVALID_ARGUMENT")
        #expect(result["invalid"]?["path"]?.stringValue == "payload.text")
        #expect(result["invalid"]?["retryable"]?.boolValue == false)
        #expect(result["aborted"]?.boolValue == true)
        let limited = result["limited"]?.intValue ?? 0
        // Two earlier requests took tokens from the bucket of 10, so 15 at once leave 5 to 8 limited.
        #expect(limited >= 3 && limited <= 8, "15 requests at once against a bucket of 10: \(limited) limited")
        #expect((result["retryAfterMs"]?.intValue ?? 0) > 0)
        #expect(result["limitedRetryable"]?.boolValue == true)
        #expect(result["pushMatches"]?.boolValue == true)
    }

    static func whileDown(_ page: BrowserPage) throws {
        try page.wait(for: "window.t.c.state === 'reconnecting' || window.t.c.state === 'connecting'", "the client noticed the server is gone")
        let result = try page.evaluate("""
            (async () => {
              const { m, c } = window.t;
              const out = {};
              out.sendOutcome = c.send('NOT_A_CHAT_TYPE', { queued: true });
              try { await c.request('LIST_HISTORY', {}, { timeoutMs: 300 }); } catch (e) { out.timeout = e instanceof m.TimeoutError; }
              window.t.later = c.request('LIST_PRESENCE', {}, { timeoutMs: 20000 });
              out.queued = c.queuedCount;
              out.pending = c.pendingCount;
              return out;
            })()
            """)
        #expect(result["sendOutcome"]?.stringValue == "queued")
        #expect(result["timeout"]?.boolValue == true, "a queued request times out while the server is down")
        #expect(result["queued"]?.intValue == 2, "the message and the later request wait in the offline queue")
        #expect(result["pending"]?.intValue == 1)
    }

    static func afterRestart(_ page: BrowserPage) throws {
        let result = try page.evaluate("""
            (async () => {
              const { m, c } = window.t;
              const out = {};
              const presence = await window.t.later;
              out.laterResolved = Array.isArray(presence.users);
              out.state = c.state;
              out.queueEmpty = c.queuedCount === 0;
              out.sawReconnecting = window.t.states.includes('reconnecting');
              out.endsOpen = window.t.states[window.t.states.length - 1] === 'open';
              // The restarted server's state replaced the old one: this client alone, once.
              for (let i = 0; i < 500 && !(window.t.p.count === 1 && window.t.p.isOnline(presence.selfUserId)); i++) {
                await new Promise((r) => setTimeout(r, 10));
              }
              out.presenceRebuilt = window.t.p.count === 1 && window.t.p.isOnline(presence.selfUserId)
                && window.t.p.metas(presence.selfUserId).length === 1;
              await c.close();
              out.closed = c.state;
              try { await c.request('LIST_PRESENCE', {}); } catch (e) { out.afterClose = e instanceof m.StateError; }
              return out;
            })()
            """)
        #expect(result["laterResolved"]?.boolValue == true, "the queued request went out after the reconnect")
        #expect(result["state"]?.stringValue == "open")
        #expect(result["queueEmpty"]?.boolValue == true)
        #expect(result["sawReconnecting"]?.boolValue == true)
        #expect(result["endsOpen"]?.boolValue == true)
        #expect(result["presenceRebuilt"]?.boolValue == true, "after a reconnect the presence list has no ghost and no duplicate")
        #expect(result["closed"]?.stringValue == "closed")
        #expect(result["afterClose"]?.boolValue == true)
    }
}
