import Synchronization
import WSKitRouter

/// The in-memory ``RouterTransport`` of a test connection: records every frame, ping and close,
/// reports a server-side close back to the router at once, and answers pings like a live client
/// (unless told not to).
///
/// It is an ``EncodedFrameTransport`` without a loop: fan-out hands it pre-encoded WebSocket
/// frames inline, which it decodes and records like the frames sent as text.
final class TestTransport: EncodedFrameTransport {
    let clientId: String?
    let executor: (any TaskExecutor)?
    let ticker: (any RouterTicker)?

    private struct State {
        var frames: [TestFrame] = []
        var serverClose: ServerClose?
        var didClose: (@Sendable (UInt16, String) -> Void)?
        var sendResult: SendResult = .sent
        var pings = 0
        var answersPings = true
        var pong: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    init(clientId: String, executor: any TaskExecutor, ticker: (any RouterTicker)? = nil) {
        self.clientId = clientId
        self.executor = executor
        self.ticker = ticker
    }

    func bind(didClose: @escaping @Sendable (UInt16, String) -> Void) {
        state.withLock { $0.didClose = didClose }
    }

    /// What a pong from the client does (report peer activity to the router).
    func bind(pong: @escaping @Sendable () -> Void) {
        state.withLock { $0.pong = pong }
    }

    /// Records the ping; a live client's pong (peer activity) follows at once unless
    /// ``setAnswersPings(_:)`` turned that off or the transport drops sends.
    func sendPing() -> SendResult {
        let (result, pong) = state.withLock { state -> (SendResult, (@Sendable () -> Void)?) in
            if state.serverClose != nil { return (.dropped, nil) }
            if state.sendResult != .dropped { state.pings += 1 }
            let answer = state.answersPings && state.sendResult != .dropped
            return (state.sendResult, answer ? state.pong : nil)
        }
        pong?()
        return result
    }

    var pings: Int { state.withLock { $0.pings } }

    func setAnswersPings(_ answers: Bool) { state.withLock { $0.answersPings = answers } }

    func send(text bytes: UnsafeRawBufferPointer) -> SendResult {
        let frame = TestFrame(text: String(decoding: bytes, as: UTF8.self))
        return state.withLock { state -> SendResult in
            if state.sendResult != .dropped { state.frames.append(frame) }
            return state.sendResult
        }
    }

    /// No event loop: fan-out delivers inline.
    var deliveryLoop: (any DeliveryLoop)? { nil }

    /// RFC 6455 server frames, decoded again by ``sendEncodedFrames(_:)``.
    var frameEncoder: any FrameEncoder { HarnessFrameEncoder() }

    /// Decodes server frames (as a client would) and records each data frame; a malformed
    /// encoding is a router bug and is recorded as an `"<invalid>"` frame.
    func sendEncodedFrames(_ bytes: UnsafeRawBufferPointer) -> SendResult {
        let frames = EncodedFrames.decode(bytes).map { TestFrame(text: String(decoding: $0, as: UTF8.self)) }
        return state.withLock { state -> SendResult in
            if state.sendResult != .dropped { state.frames += frames }
            return state.sendResult
        }
    }

    func close(code: UInt16, reason: String) {
        let report = state.withLock { state -> (@Sendable (UInt16, String) -> Void)? in
            if state.serverClose == nil { state.serverClose = ServerClose(code: code, reason: reason) }
            return state.didClose
        }
        report?(code, reason)
    }

    var frames: [TestFrame] { state.withLock { $0.frames } }
    var serverClose: ServerClose? { state.withLock { $0.serverClose } }

    func clearFrames() { state.withLock { $0.frames = [] } }

    func setSendResult(_ result: SendResult) { state.withLock { $0.sendResult = result } }
}
