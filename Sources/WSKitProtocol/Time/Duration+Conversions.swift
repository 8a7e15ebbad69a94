/// Conversions from the public time type, `Duration`, to the integers the sans-I/O core and the
/// event loop count in. Public configuration takes `Duration`; these run at the edges (when a
/// configuration is read or a deadline is set), never per message.
extension Duration {
    /// The duration in whole nanoseconds, rounded down; negative durations give 0 and durations
    /// beyond `UInt64.max` nanoseconds (about 584 years) give `UInt64.max`.
    package var saturatingNanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        let nanoseconds = Int128(seconds) * 1_000_000_000 + Int128(attoseconds / 1_000_000_000)
        return nanoseconds <= 0 ? 0 : UInt64(clamping: nanoseconds)
    }

    /// The duration in whole seconds, rounded up (an HTTP `Retry-After` delta); negative
    /// durations give 0.
    package var wholeSecondsRoundingUp: Int {
        let (seconds, attoseconds) = components
        let rounded = Int128(seconds) + (attoseconds > 0 ? 1 : 0)
        return rounded <= 0 ? 0 : Int(clamping: rounded)
    }
}
