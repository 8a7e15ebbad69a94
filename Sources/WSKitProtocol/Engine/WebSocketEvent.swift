/// One thing the peer did, as reported by `WebSocketEngine.nextEvent(in:offset:output:)`.
///
/// Payloads are borrowed views: they point either into the caller's input buffer (a message that
/// arrived whole, unmasked in place) or into the engine's assembly buffer. They stay valid until
/// the next call to `nextEvent` or until the input buffer is reused; copy them to keep them.
/// Sending on the engine (`send`, `ping`, `pong`, `close`) does not invalidate them, so an echo
/// can pass a received payload straight back to `send`.
public enum WebSocketEvent {
    /// A complete, UTF-8-validated text message.
    case text(UnsafeRawBufferPointer)
    /// A complete binary message.
    case binary(UnsafeRawBufferPointer)
    /// A ping; the pong reply is already appended to the output.
    case ping(UnsafeRawBufferPointer)
    /// A pong (a reply to our ping, or an unsolicited heartbeat).
    case pong(UnsafeRawBufferPointer)
    /// The peer's close frame arrived (code is `.noStatusReceived` when the frame had no body). If we
    /// had not sent a close yet, the reply is appended to output. The engine is now `.closed`: the
    /// transport flushes output and closes TCP (server), or waits briefly for the server to close
    /// TCP (client).
    case close(WebSocketCloseCode, reason: String)
    /// The peer broke the protocol or a limit. A close frame with `error.closeCode` is appended to
    /// output (unless we had already sent a close, after which nothing more may be sent) and the
    /// engine is `.closed`: the transport flushes output and closes TCP.
    case failure(WebSocketProtocolError)
}
