/// The plugin's timing, copied out of ``HeartbeatPlugin`` when the router is built and converted
/// to the ticker's milliseconds once.
struct HeartbeatSettings: Sendable {
    let intervalMs: Int64
    let timeoutMs: Int64
    let sendsPings: Bool
    let closeCode: UInt16
    let closeReason: String
    let fallbackTickMs: Int64
    let onStale: (@Sendable (StaleConnection) -> Void)?

    init(_ plugin: HeartbeatPlugin) {
        intervalMs = plugin.interval.wholeMilliseconds
        timeoutMs = plugin.timeout.wholeMilliseconds
        sendsPings = plugin.sendsPings
        closeCode = plugin.closeCode
        closeReason = plugin.closeReason
        fallbackTickMs = plugin.fallbackTick.wholeMilliseconds
        onStale = plugin.onStale
    }
}
