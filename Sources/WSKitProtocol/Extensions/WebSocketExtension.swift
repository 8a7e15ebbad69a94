/// The seam for negotiated extensions such as permessage-deflate (RFC 7692).
///
/// An extension owns some of the three RSV bits of the frame header and transforms whole messages:
///
/// - **Inbound**: when the first frame of a text or binary message carries any of an extension's
///   `reservedBits`, the engine reassembles the message as it arrived on the wire, calls
///   `decode(message:opcode:rsv:maxSize:into:)`, then (for text) validates the decoded bytes as
///   UTF-8 and delivers them. Messages whose first frame has none of the bits pass through untouched.
///   With several extensions, each whose bits are set decodes in reverse negotiation order.
/// - **Incremental inbound** (when `decodesIncrementally` is true and the extension is the only
///   one whose bits the message carries): the engine hands each piece of the message to
///   `decode(fragment:isLast:opcode:rsv:maxSize:into:)` as it arrives, unmasked, instead of
///   reassembling it first; text is validated as UTF-8 as it is decoded. permessage-deflate works
///   this way, so a compressed message is never held whole in its compressed form, and the
///   decoded size is checked against the limit while decoding.
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

    /// Whether the engine should call `decode(fragment:isLast:opcode:rsv:maxSize:into:)` with
    /// each piece of a message as it arrives, rather than `decode(message:...)` once with the
    /// whole message. Default: false.
    var decodesIncrementally: Bool { get }

    /// Decodes the next piece of an inbound message whose first frame carried `rsv`, appending
    /// what it yields to `output` (which holds what the earlier pieces of this message yielded).
    ///
    /// Called only when `decodesIncrementally` is true: with the pieces in order (frames may be
    /// split anywhere, and a piece may be empty), `isLast` true exactly once, on the piece that
    /// ends the message. Throw to fail the connection; throw 1009 as soon as `output` would
    /// exceed `maxSize` bytes (write no further than `maxSize + 1`).
    mutating func decode(
        fragment: UnsafeRawBufferPointer,
        isLast: Bool,
        opcode: WebSocketOpcode,
        rsv: UInt8,
        maxSize: Int,
        into output: inout WebSocketExtensionOutput
    ) throws(WebSocketProtocolError)

    /// Encodes one complete outbound message as `encode(message:opcode:into:)` does, honouring a
    /// per-message override. The default sends `.never` messages unchanged and hands the rest to
    /// `encode(message:opcode:into:)`.
    mutating func encode(
        message: UnsafeRawBufferPointer,
        opcode: WebSocketOpcode,
        compression: WebSocketCompression,
        into output: inout [UInt8]
    ) -> UInt8?
}

extension WebSocketExtension {
    /// Whole messages: false.
    public var decodesIncrementally: Bool { false }

    /// Not called unless `decodesIncrementally` is true; this default fails the connection with
    /// 1011 should an engine call it anyway.
    public mutating func decode(
        fragment: UnsafeRawBufferPointer,
        isLast: Bool,
        opcode: WebSocketOpcode,
        rsv: UInt8,
        maxSize: Int,
        into output: inout WebSocketExtensionOutput
    ) throws(WebSocketProtocolError) {
        throw WebSocketProtocolError(closeCode: .internalError, reason: "\(name) does not decode incrementally")
    }

    /// `.never`: unchanged; otherwise `encode(message:opcode:into:)`.
    public mutating func encode(
        message: UnsafeRawBufferPointer,
        opcode: WebSocketOpcode,
        compression: WebSocketCompression,
        into output: inout [UInt8]
    ) -> UInt8? {
        compression == .never ? nil : encode(message: message, opcode: opcode, into: &output)
    }
}
