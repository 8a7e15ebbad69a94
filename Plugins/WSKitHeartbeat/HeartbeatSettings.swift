/// The plugin's timing, copied out of ``HeartbeatPlugin`` when the router is built.
struct HeartbeatSettings: Sendable {
    let intervalMs: Int64
    let timeoutMs: Int64
    let sendsPings: Bool
    let closeCode: UInt16
    let closeReason: String
    let fallbackTickMs: Int64
    let onStale: (@Sendable (StaleConnection) -> Void)?

    init(_ plugin: HeartbeatPlugin) {
        intervalMs = plugin.intervalMs
        timeoutMs = plugin.timeoutMs
        sendsPings = plugin.sendsPings
        closeCode = plugin.closeCode
        closeReason = plugin.closeReason
        fallbackTickMs = plugin.fallbackTickMs
        onStale = plugin.onStale
    }
}
