import Glibc
import Testing
import WSKit
import WSKitDemo
import WSKitLiveFixtures

/// The page in a real browser: Debian's chromium, headless, driven through the DevTools protocol.
/// Two panes join one room, chat, see each other's presence, survive a server restart (re-sync),
/// and clear the history. Saves docs/demo.png.
@Suite("Demo page in headless Chromium", .serialized)
struct BrowserTests {
    /// docs/demo.png in the package.
    static var screenshotPath: String {
        let file = #filePath
        let tests = file[..<file.lastIndex(of: "/")!]
        let root = tests[..<tests.lastIndex(of: "/")!]
        return String(root[..<root.lastIndex(of: "/")!]) + "/docs/demo.png"
    }

    static func pane(_ index: Int) -> String { "document.querySelectorAll('.pane')[\(index)]" }

    static func jsString(_ text: String) -> String { JSON.serialize(.string(text)) }

    @Test("two panes in one room: connect, presence with (you), send and see in both, escaping, restart re-sync, clear")
    func chatInTheBrowser() async throws {
        let directory = TemporaryDirectory()
        var options = DemoOptions()
        options.port = 0
        options.databasePath = directory.path + "/chat.sqlite"
        var demo: DemoServer? = try await DemoServer(options: options, logger: NoLogger())
        try demo!.start()
        let port = demo!.port
        options.port = port
        do {
            try await Self.drive(demo: &demo, options: options, port: port)
        } catch {
            await demo?.shutdown()
            throw error
        }
    }

    static func drive(demo: inout DemoServer?, options: DemoOptions, port: Int) async throws {
        // Everything that blocks on sockets runs on its own thread (runBlocking).
        let chromium = try await HeadlessChromium.launch()
        let first = Self.pane(0), second = Self.pane(1)
        let page = try await runBlocking {
            let devTools = try DevToolsClient(port: chromium.devToolsPort, path: chromium.devToolsPath)
            let page = try BrowserPage(devTools: devTools, width: 1440, height: 900)
            try Self.chat(on: page, port: port, first: first, second: second)
            return page
        }

        // The server restarts on the same port: the panes reconnect by themselves and re-sync
        // history (from SQLite) and presence (new connections, new user ids).
        await demo?.shutdown()
        demo = nil
        try await runBlocking {
            try page.wait(for: "\(first).querySelector('.badge').dataset.state !== 'open'", "the pane noticed the restart")
        }
        demo = try await DemoServer(options: options, logger: NoLogger())
        try demo!.start()
        try await runBlocking { try Self.afterRestart(on: page, first: first, second: second) }
        await demo?.shutdown()
        withExtendedLifetime(chromium) {}
    }

    /// Connect two panes, presence, messages, escaping.
    static func chat(on page: BrowserPage, port: Int, first: String, second: String) throws {
        try page.navigate("http://127.0.0.1:\(port)/")
        try page.wait(for: "document.readyState === 'complete' && window.wskitDemo", "the page loaded")

        // Connect twice to the same room through the header form. A pane hears room events once
        // its subscription to the room's stream is answered (data-recovery), so Grace connects
        // after that, as a person would.
        for (index, name) in ["Ada", "Grace"].enumerated() {
            try page.evaluate("""
                document.getElementById('room-input').value = 'lobby';
                document.getElementById('name-input').value = \(Self.jsString(name));
                document.getElementById('connect-button').click(); true
                """)
            try page.wait(for: "\(Self.pane(index))?.dataset.recovery === 'loaded'", "\(name)'s pane follows the room")
        }
        try page.wait(for: "document.querySelectorAll('.pane').length === 2", "two panes exist")
        for pane in [first, second] {
            try page.wait(for: "\(pane).querySelector('.badge').textContent === 'Connected'", "both panes are connected")
            try page.wait(for: "\(pane).querySelectorAll('.users li').length === 2", "both see two users online")
        }
        #expect(try page.evaluate("\(first).querySelector('.users li.you .name').textContent").stringValue == "Ada")
        #expect(try page.evaluate("\(second).querySelector('.users li.you .name').textContent").stringValue == "Grace")
        #expect(try page.evaluate("\(first).querySelector('.users li.you .tag').textContent").stringValue == "(you)")
        try page.wait(for: "\(first).querySelector('.log').innerText.includes('Grace joined')", "Ada sees Grace join")

        // Ada sends (with markup that must stay text); both panes show it.
        let hostile = #"<img src=x onerror="window.__owned=1"><b>bold?</b>"#
        let messages = ["Hello Grace! This chat runs on WSKit.", hostile]
        for text in messages {
            try page.evaluate("""
                \(first).querySelector('.composer .text').value = \(Self.jsString(text));
                \(first).querySelector('.composer .send').click(); true
                """)
        }
        for pane in [first, second] {
            try page.wait(
                for: "[...\(pane).querySelectorAll('.msg .text')].map(n => n.textContent).join('\\n') === \(Self.jsString(messages.joined(separator: "\n")))",
                "both panes show Ada's messages in order")
        }
        #expect(try page.evaluate("document.querySelectorAll('.log img').length").intValue == 0, "user text is escaped")
        #expect(try page.evaluate("window.__owned === undefined").boolValue == true)
        try page.evaluate("""
            \(second).querySelector('.composer .text').value = 'Hi Ada — typed schemas, RPC and presence, all in Swift.';
            \(second).querySelector('.composer .send').click(); true
            """)
        try page.wait(for: "\(first).querySelectorAll('.msg').length === 3", "Ada sees Grace's reply")
    }

    /// Re-sync after the restart, screenshot, clear, disconnect.
    static func afterRestart(on page: BrowserPage, first: String, second: String) throws {
        for pane in [first, second] {
            try page.wait(for: "\(pane).querySelector('.badge').textContent === 'Connected'", timeout: 30, "both panes reconnected")
            try page.wait(for: "\(pane).querySelector('.log').innerText.includes('re-synced')", "the re-sync line is shown")
            try page.wait(for: "\(pane).querySelectorAll('.msg').length === 3", "history is re-synced after the restart")
            try page.wait(for: "\(pane).querySelectorAll('.users li').length === 2 && \(pane).querySelector('.users li.you')", "presence is re-synced")
        }

        try page.evaluate("""
            \(first).querySelector('.composer .text').value = 'Back after a server restart: history came from SQLite, presence was re-synced.';
            \(first).querySelector('.composer .send').click(); true
            """)
        for pane in [first, second] {
            try page.wait(for: "\(pane).querySelectorAll('.msg').length === 4", "a live message after the restart reaches both panes")
        }

        let png = try page.screenshot()
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        try Self.write(png, to: Self.screenshotPath)

        // Grace clears the history: both panes are wiped and say who cleared it.
        try page.evaluate("\(second).querySelector('.composer .clear').click(); true")
        for pane in [first, second] {
            try page.wait(
                for: "\(pane).querySelectorAll('.msg').length === 0 && \(pane).querySelector('.log').innerText.includes('History cleared by Grace')",
                "both panes show the cleared history")
        }

        // Disconnect removes the pane; the other one sees the leave.
        try page.evaluate("\(second).querySelector('.composer .disconnect').click(); true")
        try page.wait(for: "document.querySelectorAll('.pane').length === 1", "the pane is gone")
        try page.wait(for: "\(first).querySelectorAll('.users li').length === 1", "Ada is alone")
        try page.wait(for: "\(first).querySelector('.log').innerText.includes('Grace left')", "Ada sees Grace leave")
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        guard let file = fopen(path, "wb") else { throw DevToolsClient.Failure(description: "cannot write \(path)") }
        defer { fclose(file) }
        guard fwrite(bytes, 1, bytes.count, file) == bytes.count else { throw DevToolsClient.Failure(description: "short write to \(path)") }
    }
}
