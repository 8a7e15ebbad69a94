import Glibc
import WSKit
import WSKitLiveFixtures

/// A tiny Chrome DevTools Protocol client over one WebSocket (RawClient): commands with ids,
/// flattened sessions, events skipped. Enough to drive a page: navigate, evaluate, screenshot.
/// Used from one thread at a time.
final class DevToolsClient: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { let description: String }

    private let socket: RawClient
    private var nextId = 0
    private var partial: [UInt8] = []

    /// Connects to the browser endpoint (`/devtools/browser/<id>` on `port`).
    init(port: Int, path: String) throws {
        socket = try RawClient(port: port, timeout: 60)
        let response = try socket.handshake(path: path)
        guard response.hasPrefix("HTTP/1.1 101") else { throw Failure(description: "DevTools upgrade refused: \(response)") }
    }

    /// Sends a command and returns its `result` (throws on a protocol `error`).
    @discardableResult
    func send(_ method: String, _ params: JSONObject = [:], session: String? = nil) throws -> JSONValue {
        nextId += 1
        let id = nextId
        var message: JSONObject = ["id": .number(Double(id)), "method": .string(method), "params": .object(params)]
        if let session { message["sessionId"] = .string(session) }
        socket.sendText(JSON.serialize(.object(message)))
        while true {
            let reply = try readMessage()
            guard reply["id"]?.intValue == id else { continue }
            if let error = reply["error"] { throw Failure(description: "\(method) failed: \(error)") }
            return reply["result"] ?? .object([:])
        }
    }

    private func readMessage() throws -> JSONValue {
        while true {
            let frame = try socket.readFrame()
            switch frame.opcode {
            case 0x1, 0x2, 0x0:
                partial += frame.payload
                guard frame.fin else { continue }
                defer { partial = [] }
                return try JSON.parse(partial, limits: .unlimited)
            case 0x8:
                throw Failure(description: "DevTools closed the connection")
            case 0x9:
                socket.sendFrame(opcode: 0xA, payload: frame.payload)
            default:
                continue
            }
        }
    }
}

/// A page in a headless Chromium, attached through a flattened DevTools session.
final class BrowserPage: @unchecked Sendable {
    let devTools: DevToolsClient
    let session: String

    init(devTools: DevToolsClient, width: Int, height: Int) throws {
        self.devTools = devTools
        let target = try devTools.send("Target.createTarget", ["url": "about:blank"])
        guard let targetId = target["targetId"]?.stringValue else { throw DevToolsClient.Failure(description: "no targetId") }
        let attached = try devTools.send("Target.attachToTarget", ["targetId": .string(targetId), "flatten": true])
        guard let session = attached["sessionId"]?.stringValue else { throw DevToolsClient.Failure(description: "no sessionId") }
        self.session = session
        try devTools.send("Page.enable", session: session)
        try devTools.send("Runtime.enable", session: session)
        try devTools.send("Emulation.setDeviceMetricsOverride", [
            "width": .number(Double(width)), "height": .number(Double(height)), "deviceScaleFactor": 1, "mobile": false,
        ], session: session)
    }

    func navigate(_ url: String) throws {
        try devTools.send("Page.navigate", ["url": .string(url)], session: session)
    }

    /// Evaluates `expression` (awaiting a promise) and returns its JSON value; a thrown
    /// exception fails.
    @discardableResult
    func evaluate(_ expression: String) throws -> JSONValue {
        let result = try devTools.send("Runtime.evaluate", [
            "expression": .string(expression), "awaitPromise": true, "returnByValue": true,
        ], session: session)
        if let exception = result["exceptionDetails"] {
            throw DevToolsClient.Failure(description: "page threw: \(exception["exception"]?["description"] ?? exception)")
        }
        return result["result"]?["value"] ?? .null
    }

    /// Polls `condition` (a JS expression) until it is true; fails after `timeout` seconds with
    /// `diagnostics` evaluated in the page.
    func wait(
        for condition: String, timeout: Double = 20, _ what: String,
        diagnostics: String = "[...document.querySelectorAll('.pane')].map(p => p.innerText).join('\\n----\\n')"
    ) throws {
        let deadline = monotonicSeconds() + timeout
        while monotonicSeconds() < deadline {
            if try evaluate("Boolean(\(condition))").boolValue == true { return }
            usleep(100_000)
        }
        let state = (try? evaluate(diagnostics))?.stringValue ?? "?"
        throw DevToolsClient.Failure(description: "timed out waiting until \(what)\n--- page ---\n\(state)")
    }

    /// A PNG of the viewport.
    func screenshot() throws -> [UInt8] {
        let shot = try devTools.send("Page.captureScreenshot", ["format": "png"], session: session)
        guard let data = shot["data"]?.stringValue, let png = Base64.decode(data) else {
            throw DevToolsClient.Failure(description: "no screenshot data")
        }
        return png
    }
}

/// Standard base64 (RFC 4648) decoding.
enum Base64 {
    static func decode(_ text: String) -> [UInt8]? {
        var table = [Int16](repeating: -1, count: 256)
        for (index, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(byte)] = Int16(index)
        }
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "=") { break }
            if byte == 10 || byte == 13 { continue }
            let value = table[Int(byte)]
            guard value >= 0 else { return nil }
            buffer = buffer << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return output
    }
}
