import Testing
import WSKit
import WSKitBoard
import WSKitLiveFixtures

/// The board page in a real browser: two headless Chromium editors on one board add shapes,
/// drag one with the mouse, edit one shape concurrently (the loser is told), and one of them
/// loses its connection while both keep editing; they converge on the same board. Saves
/// docs/examples/board.png.
@Suite("Board page in headless Chromium", .serialized)
struct BoardBrowserTests {
    static var screenshotPath: String {
        var root = #filePath[...]
        for _ in 0..<4 { root = root[..<root.lastIndex(of: "/")!] }
        return root + "/docs/examples/board.png"
    }

    static let diagnostics = "JSON.stringify({version: window.board?.version, shapes: window.board?.shapes, log: document.getElementById('log').innerText})"

    @Test("two editors converge after concurrent edits and a disconnect; the loser of a concurrent edit is told")
    func editorsConverge() async throws {
        let server = try BoardServer(port: 0, logger: NoLogger())
        try server.start()
        defer { server.shutdown() }
        let chromium = try await HeadlessChromium.launch()
        let port = server.port
        try await runBlocking {
            let devTools = try DevToolsClient(port: chromium.devToolsPort, path: chromium.devToolsPath)
            let a = try BrowserPage(devTools: devTools, width: 1280, height: 760)
            let b = try BrowserPage(devTools: devTools, width: 1280, height: 760)
            for page in [a, b] {
                try page.navigate("http://127.0.0.1:\(port)/?board=shared")
                try page.wait(
                    for: "document.readyState === 'complete' && window.board?.client.state === 'open' && board.version !== null",
                    "the page synced", diagnostics: Self.diagnostics)
            }
            for _ in 0..<3 { try a.evaluate("document.getElementById('add-button').click(); true") }
            try b.wait(for: "board.shapes.length === 3 && board.version === 3", "B sees A's three shapes", diagnostics: Self.diagnostics)

            // B drags s2 with the mouse: one EDIT on drop; A sees it move, and B's cursor.
            let before = try b.evaluate("board.shapes[1].x").doubleValue ?? 0
            let center = try b.evaluate("""
                (() => { const r = document.querySelector('[data-id="s2"] rect').getBoundingClientRect();
                         return [r.x + r.width / 2, r.y + r.height / 2]; })()
                """)
            let (x, y) = (center[0]?.doubleValue ?? 0, center[1]?.doubleValue ?? 0)
            let shift = before > 500 ? -120.0 : 120.0
            for (type, dx) in [("mousePressed", 0.0), ("mouseMoved", shift / 2), ("mouseMoved", shift), ("mouseReleased", shift)] {
                var event: JSONObject = ["type": .string(type), "x": .number(x + dx), "y": .number(y), "button": "left", "buttons": 1]
                if type != "mouseMoved" { event["clickCount"] = 1 }
                try devTools.send("Input.dispatchMouseEvent", event, session: b.session)
            }
            try a.wait(for: "board.version === 4 && Math.abs(board.shapes[1].x - \(before)) > 20", "A sees B's drag", diagnostics: Self.diagnostics)
            try a.wait(for: "document.querySelectorAll('#cursors .cursor').length === 1", "A sees B's cursor", diagnostics: Self.diagnostics)

            // Both edit s1 having seen version 4: A's x and colour first, then B's x and label.
            try a.evaluate("board.edit('s1', {x: 120, color: '#ef4444'}, 4)")
            try b.evaluate("board.edit('s1', {x: 640, text: 'B won x'}, 4)")
            try a.wait(for: "document.getElementById('log').innerText.includes('Your x of s1 lost to a concurrent edit')", "A is told it lost x", diagnostics: Self.diagnostics)
            try Self.converged(a, b, version: 6)
            #expect(try a.evaluate("board.shapes[0].x === 640 && board.shapes[0].color === '#ef4444' && board.shapes[0].text === 'B won x'").boolValue == true)
            #expect(try b.evaluate("document.getElementById('log').innerText.includes('lost to')").boolValue == false)

            // B's network drops (its client waits 1.5 s before reconnecting); meanwhile A edits and
            // B edits offline (queued). B comes back, catches up by deltas, and both converge.
            try b.evaluate("""
                Object.assign(board.client.options.reconnect, {initialDelayMs: 1500, jitter: 'none'});
                board.client._ws.close(4000, 'network gone'); true
                """)
            try b.wait(for: "board.client.state === 'reconnecting'", "B is offline", diagnostics: Self.diagnostics)
            try a.evaluate("board.edit('s3', {y: 40})")
            try a.evaluate("board.edit('s3', {text: 'by A'})")
            try a.evaluate("board.add()")
            try b.evaluate("board.edit('s2', {color: '#10b981'}); true")
            try b.wait(for: "document.getElementById('log').innerText.includes('Caught up by')", timeout: 20, "B caught up by deltas", diagnostics: Self.diagnostics)
            try Self.converged(a, b, version: 10)
            #expect(try a.evaluate("board.shapes.length").intValue == 4)
            #expect(try a.evaluate("board.shapes[1].color").stringValue == "#10b981", "B's offline edit went through")

            // B's pointer over the board again: A shows it.
            for dx in [0.0, 30.0] {
                try devTools.send("Input.dispatchMouseEvent", ["type": "mouseMoved", "x": .number(x + dx), "y": .number(y + 60)], session: b.session)
            }
            try a.wait(for: "document.querySelectorAll('#cursors .cursor').length === 1", "A sees B's cursor again", diagnostics: Self.diagnostics)
            try a.evaluate("board.select('s1'); true")
            let png = try a.screenshot()
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            try BrowserTests.write(png, to: Self.screenshotPath)
        }
        withExtendedLifetime(chromium) {}
    }

    /// Both pages at `version` with the same shapes.
    static func converged(_ a: BrowserPage, _ b: BrowserPage, version: Int) throws {
        for page in [a, b] { try page.wait(for: "board.version === \(version)", "the editor reached v\(version)", diagnostics: diagnostics) }
        let shapesA = try a.evaluate("JSON.stringify(board.shapes)").stringValue
        let shapesB = try b.evaluate("JSON.stringify(board.shapes)").stringValue
        #expect(shapesA != nil && shapesA == shapesB, "the editors converged")
    }
}
