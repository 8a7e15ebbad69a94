/// Where a store delivers the diffs of rooms: one hub (one router). Hold it as long as the
/// store lives; it does not keep the hub alive.
public final class PresenceSink: Sendable {
    private let receive: @Sendable (String, [UInt8]) -> Void
    private let resend: @Sendable () -> Void

    init(receive: @escaping @Sendable (String, [UInt8]) -> Void, resend: @escaping @Sendable () -> Void) {
        self.receive = receive
        self.resend = resend
    }

    /// Diffs may have been lost (the store's subscription connection was down): every local
    /// subscriber gets a fresh `$ws:presence_state`, which clients merge as a diff.
    public func resendState() {
        resend()
    }

    /// Delivers a diff payload (`{"joins":…,"leaves":…}`) of `room` to the hub's local
    /// subscribers. Diffs of one room must be delivered in the store's order.
    public func deliver(room: String, diff: [UInt8]) {
        receive(room, diff)
    }
}
