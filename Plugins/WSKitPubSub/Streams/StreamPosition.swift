/// A place in a topic's stream: the stream's epoch and the offset of the last publication seen.
///
/// Offsets start at 1 and grow by one per publication within an epoch; a new epoch (a new
/// random string) means the history may have been lost, and offsets start again.
public struct StreamPosition: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The stream's epoch.
    public var epoch: String
    /// The offset of the last publication seen (0: none).
    public var offset: UInt64

    /// Creates a position.
    public init(epoch: String, offset: UInt64) {
        self.epoch = epoch
        self.offset = offset
    }

    /// `epoch:offset`.
    public var description: String { "\(epoch):\(offset)" }
}
