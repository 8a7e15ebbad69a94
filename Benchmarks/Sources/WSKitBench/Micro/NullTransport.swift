import Synchronization
import WSKitRouter

/// A router transport that drops every frame after counting it (no executor: handlers that never
/// suspend finish inside `receive`).
final class NullTransport: RouterTransport {
    let frames = Atomic<Int>(0)
    let bytes = Atomic<Int>(0)

    func send(text bytes: UnsafeRawBufferPointer) -> SendResult {
        frames.add(1, ordering: .relaxed)
        self.bytes.add(bytes.count, ordering: .relaxed)
        return .sent
    }

    func close(code: UInt16, reason: String) {}
}
