// wskit-autobahn-client: runs every case of the Autobahn|Testsuite fuzzingserver against
// WSKitClient's connection, echoing each message, then asks the server to write its reports.
//
//   wskit-autobahn-client [URL]      (default: $AUTOBAHN_URL, else ws://127.0.0.1:9001)
//   env: AUTOBAHN_AGENT (default wskit-client), AUTOBAHN_CASES (case count, else asked)
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WSKitClient
import WSKitProtocol

@main
struct AutobahnClient {
    static func main() async {
        let base = CommandLine.arguments.dropFirst().first ?? environment("AUTOBAHN_URL") ?? "ws://127.0.0.1:9001"
        let agent = environment("AUTOBAHN_AGENT") ?? "wskit-client"
        func url(_ path: String, _ query: [(String, String)] = []) -> WebSocketURL? {
            guard var url = try? WebSocketURL(base + path) else { return nil }
            for (name, value) in query { url = url.settingQueryItem(name: name, value: value) }
            return url
        }
        guard url("/getCaseCount") != nil else {
            print("wskit-autobahn-client: not a ws:// URL: \(base)")
            exit(2)
        }
        let count: Int
        if let text = await EchoSession.run(url("/getCaseCount")!, echo: false).firstText, let value = Int(text) {
            count = value
        } else if let value = environment("AUTOBAHN_CASES").flatMap(Int.init) {
            count = value
        } else {
            print("wskit-autobahn-client: cannot read the case count from \(base)/getCaseCount")
            exit(2)
        }
        print("wskit-autobahn-client: \(count) cases against \(base) as \(agent)")
        let started = PlatformTime.seconds()
        for index in 1 ... max(count, 1) where count > 0 {
            let outcome = await EchoSession.run(url("/runCase", [("case", "\(index)"), ("agent", agent)])!, echo: true)
            if index % 50 == 0 || index == count {
                print("  case \(index)/\(count): \(outcome.close.map(String.init(describing:)) ?? "?")")
            }
        }
        _ = await EchoSession.run(url("/updateReports", [("agent", agent)])!, echo: false)
        print("wskit-autobahn-client: done in \(Int(PlatformTime.seconds() - started)) s")
    }

    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

/// Seconds on the monotonic clock, for the progress line.
enum PlatformTime {
    static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// One connection to the fuzzingserver: echoes every message until the server closes.
final class EchoSession: @unchecked Sendable {
    struct Outcome {
        var firstText: String?
        var close: WebSocketCloseInfo?
    }

    private var connection: WebSocketClientConnection?
    private var firstText: String?
    private let echo: Bool

    private init(echo: Bool) { self.echo = echo }

    /// Limits raised for the suite: 9.* sends messages of up to 16 MiB in up to 4 Mi fragments.
    static let options = WebSocketConnectionOptions(
        limits: WebSocketLimits(maxFrameSize: 64 << 20, maxMessageSize: 64 << 20, maxFragments: 1 << 22),
        connectTimeout: .seconds(30),
        heartbeat: nil
    )

    static func run(_ url: WebSocketURL, echo: Bool) async -> Outcome {
        let session = EchoSession(echo: echo)
        return await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
            do {
                // Events arrive one at a time on the connection's I/O thread.
                let connection = try WebSocketClientConnection(url: url, options: options) { event in
                    switch event {
                    case .text(let text):
                        if session.firstText == nil { session.firstText = text }
                        if session.echo { session.connection?.send(text: text) }
                    case .binary(let bytes):
                        if session.echo { session.connection?.send(binary: bytes) }
                    case .closed(let info):
                        let outcome = Outcome(firstText: session.firstText, close: info)
                        session.connection = nil
                        continuation.resume(returning: outcome)
                    case .open, .ping, .pong:
                        break
                    }
                }
                session.connection = connection
                connection.start()
            } catch {
                continuation.resume(returning: Outcome())
            }
        }
    }
}
