/// One measured quantity of a benchmark: every sample (one per round or repetition) and their median.
public struct Metric: Sendable, Equatable {
    /// The metric's name, a key of ``MetricInfo/all`` (for example `ns_per_op`).
    public var name: String
    /// The samples, in the order they were taken.
    public var samples: [Double]

    /// A metric with its samples.
    public init(name: String, samples: [Double]) {
        self.name = name
        self.samples = samples
    }

    /// A metric measured once.
    public init(name: String, value: Double) {
        self.init(name: name, samples: [value])
    }

    /// The median of the samples (0 when there are none).
    public var value: Double { Statistics.median(samples) ?? 0 }

    /// The samples' spread relative to their median (see ``Statistics/relativeSpread(_:)``).
    public var spread: Double { Statistics.relativeSpread(samples) }
}
