/// The answer to a subscribe with a position (``Topics/subscribe(_:from:)``).
public struct StreamRecovery: Sendable, Hashable {
    /// `true`: every publication after the position was replayed (or there were none), in order,
    /// before any live one. `false`: the position could not be recovered (another epoch, trimmed
    /// or expired history, a position ahead of the stream, a topic without history) — reload the
    /// state from its source; live publications follow from ``position``.
    public var recovered: Bool
    /// The stream's position when the subscription took effect (the last offset replayed or
    /// skipped); `nil` for a topic without history.
    public var position: StreamPosition?
    /// How many publications were replayed.
    public var replayed: Int

    /// Creates an answer.
    public init(recovered: Bool, position: StreamPosition?, replayed: Int) {
        self.recovered = recovered
        self.position = position
        self.replayed = replayed
    }
}
