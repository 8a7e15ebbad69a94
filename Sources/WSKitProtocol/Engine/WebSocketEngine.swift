/// The RFC 6455 protocol state of one connection, without I/O (see ADR 0001).
///
/// Bytes in, events and bytes out: the transport hands every read to
/// `nextEvent(in:offset:output:)` and pulls events until it returns nil; whatever the engine
/// wants to write (pong replies, close frames, messages the application sends) is appended to an
/// `OutputBuffer` the transport owns and flushes. The engine reads no clock (time is the `now`
/// argument of `close`) and no global state (client masking keys come from `maskingKey`).
///
/// Messages that arrive whole in one read are delivered as pointers into the read buffer,
/// unmasked in place; only frames split across reads and fragmented messages are copied into an
/// internal buffer.
public struct WebSocketEngine: Sendable {
    /// Where the closing handshake stands (RFC 6455 §7).
    public enum State: Sendable, Hashable {
        /// Messages flow both ways.
        case open
        /// We sent a close frame and await the peer's (see `closeHandshakeTimedOut(now:)`). Inbound
        /// data messages, pings and pongs are still parsed and checked but not delivered, pings are
        /// not answered, and nothing more is sent; the peer's close completes the handshake.
        case closing
        /// The closing handshake completed or the peer failed the connection: the engine produces
        /// no more events or bytes, and the transport should close TCP.
        case closed
    }

    /// Whether this engine is the server or the client end.
    public let role: WebSocketRole
    /// The limits enforced on inbound traffic.
    public let limits: WebSocketLimits
    /// Where the closing handshake stands.
    public internal(set) var state: State = .open
    /// The monotonic time (ns) after which a close we sent counts as unanswered; set by `close`,
    /// nil unless `.closing`. A transport can arm its timer with it.
    public internal(set) var closeHandshakeDeadline: UInt64?

    var extensions: [any WebSocketExtension]
    /// The union of the extensions' RSV bits.
    let extensionBits: UInt8
    let maskingKey: @Sendable () -> UInt32

    // Inbound: a frame header split across reads.
    var headerBytes: (UInt64, UInt64) = (0, 0)
    var headerCount = 0

    // Inbound: the frame whose payload is being read.
    var inFrame = false
    var frameOpcode: UInt8 = 0
    var frameFin = false
    var frameKey: UInt32?
    var framePhase = 0
    var frameLength = 0
    var frameRemaining = 0

    // Inbound: the data message being received (nil opcode: none is open).
    var messageOpcode: WebSocketOpcode?
    var messageRSV: UInt8 = 0
    var messageFragments = 0
    var messageSize = 0
    var validatesIncrementally = false
    var utf8 = UTF8Validator()
    var message = AssemblyBuffer()
    var control = AssemblyBuffer()
    /// The last event pointed into `message`: empty it at the next call.
    var releaseMessage = false
    /// The current message is decoded piece by piece as it arrives, by `extensions[decoderIndex]`
    /// into `decoded` (an extension with `decodesIncrementally`, such as permessage-deflate).
    var decodingIncrementally = false
    var decoderIndex = 0
    /// Created on the first incrementally decoded message.
    var decoded: WebSocketExtensionOutput?

    // Outbound: an extension's encoded message, kept (up to `retainedEncodeCapacity`) for reuse.
    var encodeScratch: [UInt8] = []

    // Outbound.
    var sendingFragmentedMessage = false

    /// Assembly capacity kept between messages; anything larger is freed once delivered.
    static let retainedCapacity = 64 * 1024
    /// Capacity of the encoded-message scratch kept between sends.
    static let retainedEncodeCapacity = 16 * 1024

    /// Creates the engine for a connection whose opening handshake has completed.
    ///
    /// - Parameters:
    ///   - role: `.server` accepts only masked frames and sends unmasked ones; `.client` the reverse.
    ///   - limits: size limits for inbound frames and messages, and the close timeout.
    ///   - extensions: the negotiated extensions, in negotiation order.
    ///   - maskingKey: the source of client masking keys (the big-endian value of the 4 key bytes),
    ///     called once per frame a client sends; inject a fixed sequence for byte-exact tests.
    public init(
        role: WebSocketRole,
        limits: WebSocketLimits = .default,
        extensions: [any WebSocketExtension] = [],
        maskingKey: @escaping @Sendable () -> UInt32 = { UInt32.random(in: .min ... .max) }
    ) {
        self.role = role
        self.limits = limits
        self.extensions = extensions
        self.extensionBits = extensions.reduce(0) { $0 | $1.reservedBits } & 0x70
        self.maskingKey = maskingKey
    }

    /// Parses the next event from `input[offset...]`, advancing `offset`.
    ///
    /// Returns nil when no complete event remains; then `offset == input.count` and any trailing
    /// partial frame has been copied inside the engine. The caller must call until nil before
    /// reusing `input`. The engine may unmask in place in `input`. Payload pointers stay valid
    /// until the next call to `nextEvent` or until `input` is reused (sending does not invalidate
    /// them). After `.close`/`.failure`, or in state `.closed`, returns nil and consumes input.
    ///
    /// Pong replies and close frames the protocol requires are appended to `output`.
    public mutating func nextEvent(
        in input: UnsafeMutableRawBufferPointer,
        offset: inout Int,
        output: inout OutputBuffer
    ) -> WebSocketEvent? {
        if releaseMessage {
            message.removeAll(retainingCapacity: Self.retainedCapacity)
            if decoded != nil { decoded!.removeAll(retainingCapacity: Self.retainedCapacity) }
            releaseMessage = false
        }
        guard state != .closed else {
            offset = input.count
            return nil
        }
        precondition(offset >= 0 && offset <= input.count, "offset out of bounds")
        while true {
            if !inFrame {
                guard offset < input.count else { return nil }
                switch readHeader(input, &offset) {
                case .incomplete:
                    return nil
                case .failed(let error):
                    offset = input.count
                    return fail(error, output: &output)
                case .frame(let header):
                    beginFrame(header)
                }
            }
            let event = decodingIncrementally
                ? readDecodedPayload(input, &offset, output: &output)
                : readPayload(input, &offset, output: &output)
            if let event {
                if state == .closed { offset = input.count }
                return event
            }
            // No event: either the input ran out inside the frame, or the frame (or message) was
            // consumed without one (a fragment, or data while closing).
            if inFrame { return nil }
        }
    }

    /// True when we are `.closing` and `now` reached the deadline set by `close(...)`.
    public func closeHandshakeTimedOut(now: UInt64) -> Bool {
        guard state == .closing, let deadline = closeHandshakeDeadline else { return false }
        return now >= deadline
    }

    /// Enters `.closed` and frees the assembly buffers.
    mutating func terminate() {
        state = .closed
        closeHandshakeDeadline = nil
        inFrame = false
        headerCount = 0
        messageOpcode = nil
        releaseMessage = false
        message.removeAll(retainingCapacity: 0)
        control.removeAll(retainingCapacity: 0)
        decodingIncrementally = false
        decoded = nil
        encodeScratch = []
    }
}
