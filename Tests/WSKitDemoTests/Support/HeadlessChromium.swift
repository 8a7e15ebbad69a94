import WSKitLiveFixtures

/// Debian's `chromium`, headless, with DevTools on a free port and a throw-away profile.
/// Missing chromium is a failure that says how to install it, never a skip.
final class HeadlessChromium: Sendable {
    let process: ChildProcess
    let devToolsPort: Int
    let devToolsPath: String
    /// Holds the profile (and the browser's HOME) until the browser is gone.
    private let profile: TemporaryDirectory

    private init(process: ChildProcess, devToolsPort: Int, devToolsPath: String, profile: TemporaryDirectory) {
        self.process = process
        self.devToolsPort = devToolsPort
        self.devToolsPath = devToolsPath
        self.profile = profile
    }

    /// Stops the browser before its profile is removed.
    deinit { process.terminate() }

    /// Starts the browser and waits until DevTools listens.
    /// `extraArguments` go before the start URL (for example an SPKI pin for a test certificate).
    static func launch(extraArguments: [String] = []) async throws -> HeadlessChromium {
        let executable = try installedExecutable(
            ["chromium", "chromium-browser", "google-chrome"],
            install: "chromium is not installed: apt-get install -y chromium (.ci/run installs it)")
        let profile = TemporaryDirectory()
        let process = try ChildProcess(
            executable,
            [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--mute-audio",
                "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
                "--user-data-dir=\(profile.path)",
            ] + extraArguments + ["about:blank"],
            // Its own HOME and XDG directories in the profile: CI may run with none (or a read-only one).
            environment: ["HOME": profile.path, "XDG_CONFIG_HOME": profile.path, "XDG_CACHE_HOME": profile.path],
            // Its own process group, so stopping it also stops its renderer and GPU helpers.
            ownProcessGroup: true)
        // Chromium writes "<port>\n<path>" once DevTools listens.
        let file = profile.path + "/DevToolsActivePort"
        try await process.waitUntil("DevTools to listen", timeout: 60) { readTextFile(file).split(separator: "\n").count >= 2 }
        let lines = readTextFile(file).split(separator: "\n")
        guard let port = Int(lines[0]) else { throw ChildProcess.Failure("unexpected DevToolsActivePort: \(lines)") }
        return HeadlessChromium(process: process, devToolsPort: port, devToolsPath: String(lines[1]), profile: profile)
    }
}
