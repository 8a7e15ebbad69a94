import Synchronization
import WSKitRouter

/// The in-memory ``RouterTransport`` of a test connection: records every frame and close, and
/// reports a server-side close back to the router at once.
final class TestTransport: RouterTransport {
    let clientId: String?
    let executor: (any TaskExecutor)?

    private struct State {
        var frames: [TestFrame] = []
        var serverClose: ServerClose?
        var didClose: (@Sendable (UInt16, String) -> Void)?
        var sendResult: SendResult = .sent
    }

    private let state = Mutex(State())

    init(clientId: String, executor: any TaskExecutor) {
        self.clientId = clientId
        self.executor = executor
    }

    func bind(didClose: @escaping @Sendable (UInt16, String) -> Void) {
        state.withLock { $0.didClose = didClose }
    }

    func send(text bytes: UnsafeRawBufferPointer) -> SendResult {
        let frame = TestFrame(text: String(decoding: bytes, as: UTF8.self))
        return state.withLock { state -> SendResult in
            if state.sendResult != .dropped { state.frames.append(frame) }
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
