import Testing
import WSKit
import WSKitLiveFixtures
import WSKitTicTacToe

/// The page in a real browser: two headless Chromium tabs play a full game in one room; in the
/// middle X's connection drops and O reloads the page, and both are back in their seats with no
/// click. A third tab watches. Saves docs/examples/tictactoe.png.
@Suite("Tic-tac-toe page in headless Chromium", .serialized)
struct TicTacToeBrowserTests {
    /// docs/examples/tictactoe.png in the package.
    static var screenshotPath: String {
        let file = #filePath
        var root = file[...]
        for _ in 0..<4 { root = root[..<root.lastIndex(of: "/")!] }
        return root + "/docs/examples/tictactoe.png"
    }

    static let diagnostics = "document.querySelector('main').innerText"

    @Test("two tabs play a full game with a dropped connection and a reload in the middle; a spectator watches; rematch")
    func gameInTheBrowser() async throws {
        let server = try TicTacToeServer(port: 0, logger: NoLogger())
        try server.start()
        defer { server.shutdown() }
        let chromium = try await HeadlessChromium.launch()
        let port = server.port
        try await runBlocking {
            let devTools = try DevToolsClient(port: chromium.devToolsPort, path: chromium.devToolsPath)
            let x = try BrowserPage(devTools: devTools, width: 1100, height: 800)
            let o = try BrowserPage(devTools: devTools, width: 1100, height: 800)
            let url = "http://127.0.0.1:\(port)/?room=browser"
            for page in [x, o] {
                try page.navigate(url)
                try Self.waitUntilConnected(page)
            }
            #expect(try x.evaluate("document.getElementById('you').textContent").stringValue == "You are watching")
            for (page, mark) in [(x, "X"), (o, "O")] {
                try page.evaluate("document.getElementById('join-button').click(); true")
                try page.wait(for: "ticTacToe.you === '\(mark)'", "the tab took seat \(mark)", diagnostics: Self.diagnostics)
            }
            try x.wait(for: "document.getElementById('status').textContent === 'Your turn'", "X may start", diagnostics: Self.diagnostics)

            try Self.play(x, 4, seenBy: o)
            try Self.play(o, 0, seenBy: x)

            // X's network drops: the client reconnects by itself and presents the seat token.
            try x.evaluate("ticTacToe.client._ws.close(4000, 'network gone'); true")
            try x.wait(for: "document.getElementById('log').innerText.includes('Connection lost')", "X noticed the drop", diagnostics: Self.diagnostics)
            try x.wait(for: "ticTacToe.client.state === 'open' && ticTacToe.you === 'X'", "X is back in seat X", diagnostics: Self.diagnostics)
            try Self.play(x, 2, seenBy: o)

            // O reloads the page: a new page load, the token still in this tab's sessionStorage.
            try o.evaluate("window.__beforeReload = true; location.reload(); true")
            try o.wait(for: "!window.__beforeReload && document.readyState === 'complete'", "the page reloaded", diagnostics: Self.diagnostics)
            try Self.waitUntilConnected(o)
            try o.wait(for: "ticTacToe.you === 'O' && ticTacToe.state.board[4] === 'X'", "O is back in seat O with the board", diagnostics: Self.diagnostics)
            #expect(try o.evaluate("document.getElementById('join-button').hidden").boolValue == true)

            // A third tab watches.
            let watcher = try BrowserPage(devTools: devTools, width: 800, height: 600)
            try watcher.navigate(url)
            try Self.waitUntilConnected(watcher)
            #expect(try watcher.evaluate("ticTacToe.you").isNull)
            #expect(try watcher.evaluate("document.getElementById('join-button').hidden").boolValue == true, "no free seat")

            // O's mistakes are refused by the server and shown: a taken cell is disabled in the page,
            // so the move is sent as the page would after a race.
            try o.evaluate("ticTacToe.client.request('MOVE', {cell: 4}).catch(e => { window.__code = e.code }); true")
            try o.wait(for: "window.__code === 'CELL_TAKEN'", "the server refused a taken cell", diagnostics: Self.diagnostics)

            try Self.play(o, 8, seenBy: x)
            try Self.play(x, 6, seenBy: o)   // X: 4, 2, 6, the anti-diagonal
            try x.wait(for: "document.getElementById('status').textContent === 'You win!'", "X sees the win", diagnostics: Self.diagnostics)
            try o.wait(for: "document.getElementById('status').textContent === 'X wins'", "O sees X win", diagnostics: Self.diagnostics)
            try watcher.wait(for: "ticTacToe.state && ticTacToe.state.status === 'won'", "the spectator sees the end", diagnostics: Self.diagnostics)
            #expect(try x.evaluate("document.querySelectorAll('.cell.win').length").intValue == 3)
            #expect(try x.evaluate("[...document.querySelectorAll('.cell')].every(c => c.disabled)").boolValue == true)
            #expect(try x.evaluate("ticTacToe.state.spectators").intValue == 1)

            let png = try x.screenshot()
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            try BrowserTests.write(png, to: Self.screenshotPath)

            for page in [o, x] { try page.evaluate("document.getElementById('rematch-button').click(); true") }
            for page in [x, o, watcher] {
                try page.wait(
                    for: "ticTacToe.state.round === 2 && ticTacToe.state.board.every(c => c === '') && ticTacToe.state.turn === 'O'",
                    "round 2 starts with O", diagnostics: Self.diagnostics)
            }
        }
        withExtendedLifetime(chromium) {}
    }

    static func waitUntilConnected(_ page: BrowserPage) throws {
        try page.wait(
            for: "document.readyState === 'complete' && window.ticTacToe?.client.state === 'open' && window.ticTacToe.state",
            "the page connected", diagnostics: diagnostics)
    }

    /// Clicks `cell` on `page` and waits until `other` shows it.
    static func play(_ page: BrowserPage, _ cell: Int, seenBy other: BrowserPage) throws {
        let mark = try page.evaluate("ticTacToe.you").stringValue ?? "?"
        try page.wait(for: "!document.querySelector('[data-cell=\"\(cell)\"]').disabled", "cell \(cell) is playable for \(mark)", diagnostics: diagnostics)
        try page.evaluate("document.querySelector('[data-cell=\"\(cell)\"]').click(); true")
        try other.wait(for: "ticTacToe.state.board[\(cell)] === '\(mark)'", "the other tab shows \(mark) in cell \(cell)", diagnostics: diagnostics)
    }
}
