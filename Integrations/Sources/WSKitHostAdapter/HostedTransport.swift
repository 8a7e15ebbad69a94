import Synchronization
import WSKitRouter

/// The ``RouterTransport`` of one connection hosted by another server (Vapor, Hummingbird): the
/// router's frames go into an ordered queue (``frames``) that the host's writer task drains onto
/// its WebSocket, awaiting each write.
///
/// The router's calls are synchronous and may come from any thread; the queue keeps their order.
/// Bytes queued but not yet written count against ``maxBufferedBytes``: a frame that would exceed
/// it is dropped and the connection closed with 1008 (the same default policy as WSKit's own
/// server), so a peer that stops reading cannot grow the server's memory without bound.
public final class HostedTransport: RouterTransport {
    /// The connection's id (the `x-client-id` of the 101 response).
    public let clientId: String?
    /// The upgrade request's `traceparent`, if it carried a valid one.
    public let traceParent: TraceParent?
    /// The most bytes of text frames queued and not yet written.
    public let maxBufferedBytes: Int
    /// The frames to write, in order. The host's writer iterates it once; it ends after
    /// ``finish()``.
    public let frames: AsyncStream<OutboundFrame>

    private let continuation: AsyncStream<OutboundFrame>.Continuation
    private struct State {
        var bufferedBytes = 0
        var closing = false
    }
    private let state = Mutex(State())

    /// A transport for one accepted connection.
    public init(clientId: String?, traceParent: TraceParent?, maxBufferedBytes: Int) {
        self.clientId = clientId
        self.traceParent = traceParent
        self.maxBufferedBytes = maxBufferedBytes
        (frames, continuation) = AsyncStream.makeStream(of: OutboundFrame.self)
    }

    /// Queues a copy of the frame: `.sent` when nothing was waiting, `.buffered` behind a backlog,
    /// `.dropped` when closing or over the buffer limit (then the connection closes with 1008).
    public func send(text bytes: UnsafeRawBufferPointer) -> SendResult {
        let count = bytes.count
        enum Outcome { case sent, buffered, dropped, overflow }
        let outcome: Outcome = state.withLock { state in
            if state.closing { return .dropped }
            if state.bufferedBytes + count > maxBufferedBytes {
                state.closing = true
                return .overflow
            }
            let wasEmpty = state.bufferedBytes == 0
            state.bufferedBytes += count
            return wasEmpty ? .sent : .buffered
        }
        switch outcome {
        case .sent, .buffered:
            continuation.yield(.text(Array(bytes)))
            return outcome == .sent ? .sent : .buffered
        case .dropped:
            return .dropped
        case .overflow:
            continuation.yield(.close(code: 1008, reason: "send buffer full"))
            return .dropped
        }
    }

    /// Queues an empty ping.
    public func sendPing() -> SendResult {
        if state.withLock({ $0.closing }) { return .dropped }
        continuation.yield(.ping)
        return .sent
    }

    /// Queues the close; later frames are dropped.
    public func close(code: UInt16, reason: String) {
        let first = state.withLock { state in
            defer { state.closing = true }
            return !state.closing
        }
        if first { continuation.yield(.close(code: code, reason: reason)) }
    }

    /// The writer wrote a text frame of `byteCount` bytes: it no longer counts as buffered.
    public func didWrite(byteCount: Int) {
        state.withLock { $0.bufferedBytes -= byteCount }
    }

    /// The connection ended: drops what is queued and ends ``frames``.
    public func finish() {
        state.withLock { $0.closing = true }
        continuation.finish()
    }
}
