import Glibc
import WSKit
import WSKitDemo
import WSKitLiveFixtures

/// A temporary directory, removed with its files (one level deep) when released.
final class TemporaryDirectory: Sendable {
    let path: String

    init() {
        var template = Array("/tmp/wskit-demo-XXXXXX".utf8CString)
        path = String(cString: mkdtemp(&template)!)
    }

    deinit { Self.remove(path) }

    /// `rm -r`.
    private static func remove(_ path: String) {
        if let directory = opendir(path) {
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
                if name == "." || name == ".." { continue }
                if entry.pointee.d_type == UInt8(DT_DIR) { remove(path + "/" + name) } else { unlink(path + "/" + name) }
            }
            closedir(directory)
        }
        rmdir(path)
    }
}

/// Runs `body` with an in-process demo server on a free port and a fresh database. The body
/// blocks on sockets, so it runs on its own thread (`runBlocking`), never on the cooperative pool.
func withDemoServer(
    databasePath: String? = nil, heartbeatMs: Int64 = 30_000, _ body: @escaping @Sendable (DemoServer, Int) throws -> Void
) async throws {
    let directory = TemporaryDirectory()
    var options = DemoOptions()
    options.port = 0
    options.heartbeatMs = heartbeatMs
    options.databasePath = databasePath ?? directory.path + "/chat.sqlite"
    let demo = try await DemoServer(options: options, logger: NoLogger())
    try demo.start()
    let port = demo.port
    do {
        try await runBlocking { try body(demo, port) }
    } catch {
        await demo.shutdown()
        throw error
    }
    await demo.shutdown()
}

/// One plain HTTP GET; returns the status line, headers and body as text.
func httpGet(port: Int, path: String, method: String = "GET") throws -> String {
    let client = try RawClient(port: port)
    client.write(Array("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
    return try client.readResponseHead()
}
