/// Where a store delivers the diffs of rooms: one hub (one router). Hold it as long as the
/// store lives; it does not keep the hub alive.
public final class PresenceSink: Sendable {
    private let receive: @Sendable (String, [UInt8]) -> Void

    init(_ receive: @escaping @Sendable (String, [UInt8]) -> Void) {
        self.receive = receive
    }

    /// Delivers a diff payload (`{"joins":…,"leaves":…}`) of `room` to the hub's local
    /// subscribers. Diffs of one room must be delivered in the store's order.
    public func deliver(room: String, diff: [UInt8]) {
        receive(room, diff)
    }
}
