/// Order statistics over repeated measurements.
public enum Statistics {
    /// The median (the mean of the middle two for an even count); nil when empty.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The spread of `values` relative to their median: (max − min) / |median|; 0 for fewer than
    /// two values or a zero median.
    public static func relativeSpread(_ values: [Double]) -> Double {
        guard values.count > 1, let median = median(values), median != 0,
              let low = values.min(), let high = values.max() else { return 0 }
        return (high - low) / abs(median)
    }
}
