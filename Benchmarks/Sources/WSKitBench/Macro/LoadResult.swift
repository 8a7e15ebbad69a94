import WSKitContract

/// The numbers of one generator report (one JSON line of `wskit-bench load`).
struct LoadResult {
    var values: [String: Double]

    /// Parses a generator line; nil unless it is a JSON object.
    init?(line: String) {
        guard line.hasPrefix("{"), let object = (try? JSON.parse(line))?.objectValue else { return nil }
        var values: [String: Double] = [:]
        for (key, value) in object {
            if let number = value.doubleValue { values[key] = number }
            if let flag = value.boolValue { values[key] = flag ? 1 : 0 }
        }
        self.values = values
    }

    init(values: [String: Double]) { self.values = values }

    subscript(_ key: String) -> Double { values[key] ?? 0 }
}
