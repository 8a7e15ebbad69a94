import Glibc

/// Debian's `chromium`, headless, with DevTools on a free port and a throw-away profile.
/// Missing chromium is a failure that says how to install it, never a skip.
final class HeadlessChromium: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { let description: String }

    let devToolsPort: Int
    let devToolsPath: String
    private let profile: TemporaryDirectory
    private var pid: pid_t

    static let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]

    init() throws {
        guard let executable = Self.candidates.first(where: { access($0, X_OK) == 0 }) else {
            throw Failure(description: "chromium is not installed: apt-get install -y chromium (.ci/run installs it)")
        }
        profile = TemporaryDirectory()
        let arguments = [
            executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--mute-audio",
            "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
            "--user-data-dir=\(profile.path)", "about:blank",
        ]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, profile.path + "/chromium.log", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        // Its own process group, so stopping it also stops its renderer and GPU helpers.
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        // Its own HOME and XDG directories in the profile: CI may run with none (or a read-only one).
        var environment: [UnsafeMutablePointer<CChar>?] = []
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if !(text.hasPrefix("HOME=") || text.hasPrefix("XDG_CONFIG_HOME=") || text.hasPrefix("XDG_CACHE_HOME=")) {
                environment.append(strdup(text))
            }
            entry += 1
        }
        for variable in ["HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"] { environment.append(strdup("\(variable)=\(profile.path)")) }
        environment.append(nil)
        defer { for pointer in environment { free(pointer) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, &attributes, argv, environment)
        guard status == 0 else { throw Failure(description: "cannot start \(executable): \(String(cString: strerror(status)))") }
        pid = child
        // Chromium writes "<port>\n<path>" once DevTools listens.
        let file = profile.path + "/DevToolsActivePort"
        let deadline = cwskitNowSeconds() + 60
        var lines: [Substring] = []
        while cwskitNowSeconds() < deadline {
            lines = DemoProcess.tail(of: file).split(separator: "\n")
            if lines.count >= 2 { break }
            var status: Int32 = 0
            if waitpid(child, &status, WNOHANG) == child {
                pid = 0
                throw Failure(description: "chromium exited (status \(status)): \(DemoProcess.tail(of: profile.path + "/chromium.log"))")
            }
            usleep(50_000)
        }
        guard lines.count >= 2, let port = Int(lines[0]) else {
            let log = DemoProcess.tail(of: profile.path + "/chromium.log")
            Self.stop(child)
            pid = 0
            throw Failure(description: "chromium did not open DevTools within 60 s: \(log)")
        }
        devToolsPort = port
        devToolsPath = String(lines[1])
    }

    deinit {
        if pid > 0 { Self.stop(pid) }
    }

    private static func stop(_ pid: pid_t) {
        kill(-pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0 ..< 300 {
            if waitpid(pid, &status, WNOHANG) == pid { break }
            usleep(10_000)
        }
        kill(-pid, SIGKILL)
        waitpid(pid, &status, WNOHANG)
    }
}

func cwskitNowSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
