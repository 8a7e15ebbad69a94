#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WSKitClient

/// What a command waits for: frames, the connection's end, stdin lines, a deadline.
enum SessionEvent: Sendable {
    case opened
    case frame(String)
    case closed(WebSocketCloseInfo)
    case line(String)
    case inputEnded
    /// A deadline set with ``EnvelopeSession/deadline(milliseconds:tag:)`` passed.
    case timeout(Int)
}

/// One WebSocket connection (``WebSocketClientConnection``) carrying JSON envelopes, with its
/// events, stdin lines and deadlines in one stream read by the command.
final class EnvelopeSession {
    let connection: WebSocketClientConnection
    private let continuation: AsyncStream<SessionEvent>.Continuation
    private var iterator: AsyncStream<SessionEvent>.AsyncIterator

    init(url: WebSocketURL, options: CLIOptions) throws(CLIFailure) {
        let (stream, continuation) = AsyncStream.makeStream(of: SessionEvent.self)
        self.continuation = continuation
        iterator = stream.makeAsyncIterator()
        do {
            connection = try WebSocketClientConnection(url: url, options: options.connectionOptions) { event in
                switch event {
                case .open: continuation.yield(.opened)
                case .text(let text): continuation.yield(.frame(text))
                case .binary(let bytes): continuation.yield(.frame(String(decoding: bytes, as: UTF8.self)))
                case .closed(let info): continuation.yield(.closed(info))
                case .ping, .pong: break
                }
            }
        } catch {
            throw .usage("\(error)")
        }
    }

    /// Connects; throws when the handshake fails.
    func open() async throws(CLIFailure) {
        connection.start()
        while let event = await next() {
            switch event {
            case .opened: return
            case .closed(let info): throw .connection(info.description)
            default: continue
            }
        }
        throw .connection("ended")
    }

    /// The next event.
    func next() async -> SessionEvent? { await iterator.next() }

    /// Sends a `.timeout(tag)` event after `milliseconds`.
    func deadline(milliseconds: Int, tag: Int = 0) {
        let continuation = continuation
        Task {
            try? await Task.sleep(for: .milliseconds(milliseconds))
            continuation.yield(.timeout(tag))
        }
    }

    /// Reads stdin lines on a thread of their own, as `.line` events, then `.inputEnded`.
    func readStandardInput() {
        let continuation = continuation
        Thread.detach {
            while let line = readLine(strippingNewline: true) { continuation.yield(.line(line)) }
            continuation.yield(.inputEnded)
        }
    }

    /// Sends one frame; false when the connection is closing.
    @discardableResult
    func send(_ envelope: JSONValue) -> Bool { connection.send(text: JSON.serialize(envelope)) }

    /// Closes normally and waits (briefly) for the closing handshake.
    func close() async {
        connection.close()
        while let event = await next() {
            if case .closed = event { return }
        }
    }
}

/// A detached POSIX thread (stdin reading blocks, so it gets a thread of its own).
enum Thread {
    static func detach(_ body: @escaping @Sendable () -> Void) {
        final class Box: @unchecked Sendable {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        var thread = pthread_t()
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        pthread_create(&thread, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            box.body()
            return nil
        }, box)
        pthread_detach(thread)
    }
}

/// Prints one line to stdout (flushed: output is read by scripts line by line).
func printLine(_ text: String) {
    writeAll(1, text + "\n")
}

/// Prints one line to stderr.
func printError(_ text: String) {
    writeAll(2, text + "\n")
}

/// Writes `text` to a file descriptor, unbuffered.
private func writeAll(_ fd: Int32, _ text: String) {
    let bytes = Array(text.utf8)
    var written = 0
    while written < bytes.count {
        let count = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if count <= 0 { return }
        written += count
    }
}
