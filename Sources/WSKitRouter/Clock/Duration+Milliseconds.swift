extension Duration {
    /// This duration in whole milliseconds (toward zero), saturating at `Int64.min`/`Int64.max`:
    /// how plugins convert their `Duration` configuration to the router clock's Unix
    /// milliseconds, once, when the router is built (`package`: for the package's plugins, not
    /// public API).
    @inlinable
    package var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let (milliseconds, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds < 0 ? .min : .max }
        let (total, overflowSum) = milliseconds.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
        if overflowSum { return milliseconds < 0 ? .min : .max }
        return total
    }
}
