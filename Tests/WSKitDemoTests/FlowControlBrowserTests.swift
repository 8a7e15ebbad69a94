import Glibc
import Testing
import WSKit
import WSKitFlowControl
import WSKitLiveFixtures

/// The flow-control example's page in headless Chromium: the fast client on the page's thread,
/// the slow one in a worker that spends 40 ms on each message. Chromium stops reading the slow
/// socket when its worker falls behind, so the server holds that client's updates back and
/// coalesces them; the page's rate slider is throttled before it reaches the server. Saves
/// docs/examples/flowcontrol.png.
@Suite("Flow-control page in headless Chromium", .serialized)
struct FlowControlBrowserTests {
    static var screenshotPath: String {
        let file = #filePath
        let tests = file[..<file.lastIndex(of: "/")!]
        let root = tests[..<tests.lastIndex(of: "/")!]
        return String(root[..<root.lastIndex(of: "/")!]) + "/docs/examples/flowcontrol.png"
    }

    @Test("both clients receive; the slow one falls behind and gets coalesced values; a burst of slider moves sends a throttled few SET_RATE")
    func fastAndSlowSideBySide() async throws {
        let feed = LiveFeed(symbols: 40, perSecond: 10_000, interval: .milliseconds(20))
        let server = try FeedServer(feed: feed, port: 0) { $0.logger = NoLogger() }
        try server.start()
        defer { server.shutdown() }
        let port = server.port
        let chromium = try await HeadlessChromium.launch()
        try await runBlocking {
            let page = try BrowserPage(devTools: try DevToolsClient(port: chromium.devToolsPort, path: chromium.devToolsPath), width: 1200, height: 820)
            try page.navigate("http://127.0.0.1:\(port)/")
            try page.wait(
                for: "window.flowDemo && flowDemo.fast.model.messages > 0 && flowDemo.slow.model.messages > 0",
                "both clients receive the feed", diagnostics: "document.body.innerText")

            // The worker's 40 ms per message is slower than the feed's 50 batches a second: the
            // browser stops reading, the server falls back to the latest value per symbol.
            let deadline = monotonicSeconds() + 30
            var slow = feed.stats().first { $0.name == "slow" }
            while monotonicSeconds() < deadline, (slow?.skipped ?? 0) == 0 {
                usleep(200_000)
                slow = feed.stats().first { $0.name == "slow" }
            }
            #expect((slow?.skipped ?? 0) > 0, "the server never held the slow client's updates back: \(String(describing: slow))")
            let fast = feed.stats().first { $0.name == "fast" }
            #expect((fast?.messages ?? 0) > (slow?.messages ?? 0), "the fast client was sent more messages")
            try page.wait(for: "flowDemo.slow.model.skipped > 0", "the slow pane shows coalesced updates",
                          diagnostics: "document.body.innerText")

            // A burst of 50 slider moves: the page sends a few SET_RATE, ending on the last value.
            try page.evaluate("""
                (() => {
                    const slider = document.getElementById('rate');
                    for (let i = 1; i <= 50; i++) { slider.value = String(i * 100); slider.dispatchEvent(new Event('input')); }
                    slider.dispatchEvent(new Event('change'));
                    return true;
                })()
                """)
            try page.wait(for: "document.getElementById('rate-value').dataset.value === '5000'",
                          "the server confirms the last value", diagnostics: "document.querySelector('header').innerText")
            #expect(feed.perSecond == 5_000)
            let sent = try page.evaluate("flowDemo.rateMessagesSent").doubleValue ?? 0
            #expect(sent >= 1 && sent <= 3, "50 moves became \(sent) SET_RATE messages")

            usleep(1_500_000) // let the panes and the server's table refresh
            let png = try page.screenshot()
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            try BrowserTests.write(png, to: Self.screenshotPath)
        }
        withExtendedLifetime(chromium) {}
    }
}
