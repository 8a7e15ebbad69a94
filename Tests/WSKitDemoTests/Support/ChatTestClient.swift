import Glibc
import WSKit
import WSKitLiveFixtures

/// A blocking chat client over a real socket (RawClient): requests are matched by correlation id;
/// pushes that arrive meanwhile are kept, in order, for `push(_:)`.
final class ChatTestClient {
    struct Failure: Error, CustomStringConvertible { let description: String }

    let raw: RawClient
    private var inbox: [JSONValue] = []
    private var nextId = 0

    /// Connects to `/ws/<room>?name=<name>` (or `path` verbatim).
    init(port: Int, path: String, timeout: Double = 10) throws {
        raw = try RawClient(port: port, timeout: timeout)
        let response = try raw.handshake(path: path)
        guard response.hasPrefix("HTTP/1.1 101") else { throw Failure(description: "upgrade refused: \(response)") }
    }

    convenience init(port: Int, room: String, name: String) throws {
        try self.init(port: port, path: "/ws/\(room)?name=\(name)")
    }

    /// Sends a raw text frame.
    func sendRaw(_ text: String) { raw.sendText(text) }

    /// Sends `{"type": type, "meta": {"correlationId": id}, "payload": payload}` (no payload key
    /// when `payload` is nil) and returns the id.
    @discardableResult
    func sendRequest(_ type: String, _ payload: String? = "{}") -> String {
        nextId += 1
        let id = "t-\(nextId)"
        let payloadPart = payload.map { #","payload":\#($0)"# } ?? ""
        raw.sendText(#"{"type":"\#(type)","meta":{"correlationId":"\#(id)"}\#(payloadPart)}"#)
        return id
    }

    /// Sends a request and waits for the frame that answers it (reply or RPC_ERROR).
    func request(_ type: String, _ payload: String? = "{}") throws -> JSONValue {
        try answer(to: sendRequest(type, payload))
    }

    /// The frame correlated with `id`.
    func answer(to id: String) throws -> JSONValue {
        if let index = inbox.firstIndex(where: { $0["meta"]?["correlationId"]?.stringValue == id }) {
            return inbox.remove(at: index)
        }
        while true {
            let frame = try next()
            if frame["meta"]?["correlationId"]?.stringValue == id { return frame }
            inbox.append(frame)
        }
    }

    /// The next uncorrelated frame of `type` (earlier frames of other types stay queued).
    func push(_ type: String) throws -> JSONValue {
        if let index = inbox.firstIndex(where: { $0["type"]?.stringValue == type && $0["meta"]?["correlationId"] == nil }) {
            return inbox.remove(at: index)
        }
        while true {
            let frame = try next()
            if frame["type"]?.stringValue == type, frame["meta"]?["correlationId"] == nil { return frame }
            inbox.append(frame)
        }
    }

    /// Frames received and not yet consumed, after reading whatever arrives within `seconds`.
    /// Pings that arrive meanwhile are answered.
    func drain(for seconds: Double) -> [JSONValue] {
        let deadline = monotonicSeconds() + seconds
        while true {
            let left = deadline - monotonicSeconds()
            if left <= 0 { break }
            var timeout = timeval(tv_sec: Int(left), tv_usec: Int((left - Double(Int(left))) * 1e6) + 1)
            setsockopt(raw.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            do {
                if let frame = try next(untilPing: true) { inbox.append(frame) }
            } catch {
                break
            }
        }
        var normal = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(raw.fd, SOL_SOCKET, SO_RCVTIMEO, &normal, socklen_t(MemoryLayout<timeval>.size))
        defer { inbox = [] }
        return inbox
    }

    /// Sends a close frame (1000) and waits for the server's.
    func close() {
        raw.sendFrame(opcode: 0x8, payload: [0x03, 0xE8])
        _ = try? raw.readUntilClose()
    }

    private func next() throws -> JSONValue {
        while true {
            if let frame = try next(untilPing: false) { return frame }
        }
    }

    /// The next data frame; with `untilPing`, also returns (nil) after answering a ping, so that
    /// a caller with a deadline gets control back.
    private func next(untilPing: Bool) throws -> JSONValue? {
        while true {
            let frame = try raw.readFrame()
            switch frame.opcode {
            case 0x1, 0x2:
                return try frame.payload.withUnsafeBytes { try JSON.parse($0) }
            case 0x8:
                throw Failure(description: "server closed the connection (\(frame.closeCode ?? 1005))")
            case 0x9:
                raw.sendFrame(opcode: 0xA, payload: frame.payload)
                if untilPing { return nil }
            default:
                continue
            }
        }
    }
}

extension JSONValue {
    /// `self["payload"]`.
    var payload: JSONValue? { self["payload"] }
    /// `self["type"]` as a string.
    var type: String? { self["type"]?.stringValue }
    /// The error code of an `ERROR`/`RPC_ERROR`.
    var errorCode: String? { self["payload"]?["code"]?.stringValue }
}
