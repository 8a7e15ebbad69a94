import WSKitContract

/// The JSON form of a ``BenchReport`` (`wskit-bench` writes it; `wskit-bench compare` reads it).
///
/// ```json
/// {"suite": "wskit-bench", "format": 1, "mode": "full", "date": "…", "commit": "…",
///  "machine": {"cpu": "…", …}, "servers": ["wskit", "vapor", …], "notes": […],
///  "entries": [{"key": "echo.text32.c100.k1", "group": "echo", "title": "…", "server": "wskit",
///               "metrics": {"msg_per_s": {"median": 81234.5, "samples": [80000, 81234.5, 83000]}}}]}
/// ```
public enum ReportJSON {
    /// The version of the format written.
    public static let format = 1

    /// Why a document is not a report.
    public struct DecodingError: Error, CustomStringConvertible, Sendable {
        /// What is wrong.
        public let description: String
    }

    /// The report as a JSON value.
    public static func encode(_ report: BenchReport) -> JSONValue {
        var root = JSONObject()
        root["suite"] = "wskit-bench"
        root["format"] = .number(Double(format))
        root["mode"] = .string(report.mode)
        root["date"] = .string(report.date)
        root["commit"] = .string(report.commit)
        root["machine"] = .object(JSONObject(report.machine.map { ($0.0, JSONValue.string($0.1)) }))
        root["servers"] = .array(report.servers.map { .string($0) })
        root["notes"] = .array(report.notes.map { .string($0) })
        root["entries"] = .array(report.entries.map { entry in
            var object = JSONObject()
            object["key"] = .string(entry.key)
            object["group"] = .string(entry.group)
            object["title"] = .string(entry.title)
            object["server"] = .string(entry.server)
            if let note = entry.note { object["note"] = .string(note) }
            object["metrics"] = .object(JSONObject(entry.metrics.map { metric in
                (metric.name, JSONValue.object([
                    "median": .number(rounded(metric.value)),
                    "samples": .array(metric.samples.map { .number(rounded($0)) }),
                ]))
            }))
            return .object(object)
        })
        return .object(root)
    }

    /// The report as indented JSON text.
    public static func text(_ report: BenchReport) -> String { PrettyJSON.render(encode(report)) }

    /// Reads a report from JSON text.
    public static func decode(_ text: String) throws(DecodingError) -> BenchReport {
        let limits = JSONLimits(maxBytes: 256 << 20, maxDepth: 32, maxStringBytes: 1 << 20, maxContainerCount: 1 << 20)
        let value: JSONValue
        do {
            value = try JSON.parse(text, limits: limits)
        } catch {
            throw DecodingError(description: "not JSON: \(error)")
        }
        return try decode(value)
    }

    /// Reads a report from a JSON value.
    public static func decode(_ value: JSONValue) throws(DecodingError) -> BenchReport {
        guard let root = value.objectValue, root["suite"]?.stringValue == "wskit-bench" else {
            throw DecodingError(description: "not a wskit-bench report (no \"suite\": \"wskit-bench\")")
        }
        guard let entryValues = root["entries"]?.arrayValue else { throw DecodingError(description: "no \"entries\" array") }
        var entries: [BenchEntry] = []
        for (index, item) in entryValues.enumerated() {
            guard let object = item.objectValue, let key = object["key"]?.stringValue,
                  let server = object["server"]?.stringValue, let metricsObject = object["metrics"]?.objectValue else {
                throw DecodingError(description: "entry \(index) lacks key, server or metrics")
            }
            var metrics: [Metric] = []
            for (name, metricValue) in metricsObject {
                let samples = metricValue["samples"]?.arrayValue?.compactMap(\.doubleValue) ?? []
                if !samples.isEmpty {
                    metrics.append(Metric(name: name, samples: samples))
                } else if let median = metricValue["median"]?.doubleValue ?? metricValue.doubleValue {
                    metrics.append(Metric(name: name, value: median))
                } else {
                    throw DecodingError(description: "entry \(index) metric \(name) has no value")
                }
            }
            entries.append(BenchEntry(
                key: key, group: object["group"]?.stringValue ?? "", title: object["title"]?.stringValue ?? key,
                server: server, metrics: metrics, note: object["note"]?.stringValue))
        }
        let machine = (root["machine"]?.objectValue ?? [:]).map { ($0.key, $0.value.stringValue ?? JSON.serialize($0.value)) }
        var servers = root["servers"]?.arrayValue?.compactMap(\.stringValue) ?? []
        for entry in entries where !servers.contains(entry.server) { servers.append(entry.server) }
        return BenchReport(
            mode: root["mode"]?.stringValue ?? "", date: root["date"]?.stringValue ?? "",
            commit: root["commit"]?.stringValue ?? "", machine: machine, servers: servers, entries: entries,
            notes: root["notes"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    /// Six significant digits are plenty for measurements and keep files small.
    static func rounded(_ x: Double) -> Double {
        guard x.isFinite, x != 0 else { return x.isFinite ? x : 0 }
        var scale = 1.0
        var magnitude = abs(x)
        while magnitude >= 1_000_000 { magnitude /= 10; scale /= 10 }
        while magnitude < 100_000 { magnitude *= 10; scale *= 10 }
        return (x * scale).rounded() / scale
    }
}
