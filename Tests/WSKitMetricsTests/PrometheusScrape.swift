import Glibc
import WSKitLiveFixtures

/// One scrape of a Prometheus text page: every sample by its series (`name{labels}` exactly as
/// written), and every metric's `# TYPE`.
struct PrometheusScrape {
    var samples: [String: Double] = [:]
    var types: [String: String] = [:]

    /// An empty scrape.
    init() {}

    /// Parses the text format: comment lines `# TYPE name kind`, sample lines `series value`.
    /// A malformed line is a test failure.
    init(parsing text: String) throws {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4 else { throw ScrapeError.malformed(String(line)) }
                types[String(parts[2])] = String(parts[3])
                continue
            }
            if line.hasPrefix("#") { continue }
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                throw ScrapeError.malformed(String(line))
            }
            samples[String(line[..<space])] = value
        }
    }

    subscript(_ series: String) -> Double? { samples[series] }

    /// GETs `path` from the server on `port` and parses the body.
    static func fetch(port: Int, path: String = "/metrics") throws -> (head: String, scrape: PrometheusScrape) {
        let client = try RawClient(port: port)
        client.write(Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
        let response = try client.readResponseHead()
        let bytes = Array(response.utf8)
        guard let split = (0 ..< max(0, bytes.count - 3)).first(where: { bytes[$0 ..< $0 + 4] == [13, 10, 13, 10] }) else {
            throw ScrapeError.malformed(response)
        }
        let head = String(decoding: bytes[..<split], as: UTF8.self)
        return (head, try PrometheusScrape(parsing: String(decoding: bytes[(split + 4)...], as: UTF8.self)))
    }
}

enum ScrapeError: Error {
    case malformed(String)
}

/// Polls `condition` every 10 ms for up to `timeout` seconds on the calling thread (inside
/// `runBlocking`, where the raw clients live); returns its last value.
func pollSynchronously(timeout: Double, _ condition: () -> Bool) -> Bool {
    let deadline = monotonicSeconds() + timeout
    while monotonicSeconds() < deadline {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}
