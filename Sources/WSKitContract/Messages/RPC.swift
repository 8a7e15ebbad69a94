/// A request message answered by exactly one ``Response`` message (or an `RPC_ERROR`), with zero
/// or more `$ws:rpc-progress` frames before it that carry the response's payload shape.
///
/// Correlation uses `meta.correlationId`; see `docs/wire-protocol.md`.
public protocol RPC: Message {
    /// The reply's message type: the reply goes out with `Response.type`.
    associatedtype Response: Message
}
