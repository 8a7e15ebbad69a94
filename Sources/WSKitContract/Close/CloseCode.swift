/// The close codes an application may choose (RFC 6455 §7.4), as the contract sees them: plugins
/// and configuration check a code here without depending on the WebSocket protocol core.
public enum CloseCode {
    /// Whether `code` may appear in a close frame on the wire (RFC 6455 §7.4.1, §7.4.2):
    /// 1000–1003, 1007–1014 and 3000–4999. (The protocol core's `WebSocketCloseCode.isSendable`
    /// applies the same rule; a test keeps the two in step.)
    @inlinable
    public static func isSendable(_ code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1014, 3000...4999: return true
        default: return false
        }
    }
}
