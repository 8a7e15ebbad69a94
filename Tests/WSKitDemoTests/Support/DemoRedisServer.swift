import CWSKitShims
import Glibc

/// A private `redis-server` on a free loopback port, without persistence, for the scale-out test.
/// Missing `redis-server` is a failure that says how to install it, never a skip.
final class DemoRedisServer: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { let description: String }

    let port: Int
    private var pid: pid_t = 0
    private let directory = TemporaryDirectory()

    var url: String { "redis://127.0.0.1:\(port)" }

    init() throws {
        let candidates: [String] = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"]
        guard let executable = candidates.first(where: { access($0, X_OK) == 0 }) else {
            throw Failure(description: "redis-server is not installed: apt-get install -y redis-server (.ci/run installs it)")
        }
        port = Self.freePort()
        let arguments = [
            executable, "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", directory.path, "--daemonize", "no",
        ]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard status == 0 else { throw Failure(description: "cannot start redis-server: \(String(cString: strerror(status)))") }
        let deadline = cwskitNowSeconds() + 20
        while cwskitNowSeconds() < deadline {
            let fd = cwskit_connect_tcp("127.0.0.1", Int32(port))
            if fd >= 0 {
                var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let ready = poll(&descriptor, 1, 200) == 1 && descriptor.revents & Int16(POLLERR | POLLHUP) == 0
                close(fd)
                if ready { return }
            }
            usleep(50_000)
        }
        stop()
        throw Failure(description: "redis-server did not listen on \(port) within 20 s")
    }

    deinit { stop() }

    func stop() {
        guard pid > 0 else { return }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        pid = 0
    }

    /// A port the kernel just handed out (bound, then released).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                _ = bind(fd, pointer, length)
                return getsockname(fd, pointer, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
