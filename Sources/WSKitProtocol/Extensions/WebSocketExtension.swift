/// The seam for negotiated extensions such as permessage-deflate (RFC 7692).
///
/// An extension owns some of the three RSV bits of the frame header and transforms whole messages:
///
/// - **Inbound**: when the first frame of a text or binary message carries any of an extension's
///   `reservedBits`, the engine reassembles the message as it arrived on the wire, calls
///   `decode(message:opcode:rsv:maxSize:into:)`, then (for text) validates the decoded bytes as
///   UTF-8 and delivers them. Messages whose first frame has none of the bits pass through untouched.
///   With several extensions, each whose bits are set decodes in reverse negotiation order.
/// - **Outbound**: for each unfragmented text or binary message sent, every extension in
///   negotiation order may `encode` it and name the RSV bits to set on the frame. Fragmented
///   outbound messages and control frames are never transformed.
///
/// RSV bits are always rejected (1002) on control frames, on continuation frames, and when no
/// negotiated extension owns them; with no extensions any RSV bit is a protocol error.
///
/// Extensions are values held by one engine; mutating requirements let them keep per-connection
/// state (for example a compression context).
public protocol WebSocketExtension: Sendable {
    /// The extension token used in `Sec-WebSocket-Extensions`, for example `permessage-deflate`.
    var name: String { get }

    /// The RSV bits this extension owns, in their first-header-byte positions:
    /// `0x40` (RSV1), `0x20` (RSV2), `0x10` (RSV3).
    var reservedBits: UInt8 { get }

    /// Decodes one complete inbound message whose first frame carried `rsv` (a non-empty subset of
    /// `reservedBits`), appending the result to `output`.
    ///
    /// Throw to fail the connection: for example 1007 for corrupt data, or 1009 when the decoded
    /// message would exceed `maxSize` bytes (check while decoding; do not decode without bound).
    /// A code that may not be sent on the wire is replaced by 1002 in the close frame.
    mutating func decode(
        message: UnsafeRawBufferPointer,
        opcode: WebSocketOpcode,
        rsv: UInt8,
        maxSize: Int,
        into output: inout [UInt8]
    ) throws(WebSocketProtocolError)

    /// Encodes one complete outbound message into `output` and returns the RSV bits (a subset of
    /// `reservedBits`) to set on its frame, or returns `nil`, appending nothing, to send the
    /// message unchanged.
    mutating func encode(message: UnsafeRawBufferPointer, opcode: WebSocketOpcode, into output: inout [UInt8]) -> UInt8?
}
