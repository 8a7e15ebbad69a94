/// A per-message override of the negotiated compression policy, passed with a send.
///
/// With no extension that transforms messages negotiated (for example when the peer declined
/// permessage-deflate), every value sends the message unchanged.
public enum WebSocketCompression: Sendable, Hashable {
    /// The policy decides: permessage-deflate compresses messages at or above its threshold.
    case automatic
    /// Compress this message whatever its size (when compression was negotiated).
    case always
    /// Send this message uncompressed (for example data that is already compressed).
    case never
}
