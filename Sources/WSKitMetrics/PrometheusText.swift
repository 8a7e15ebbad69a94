/// Formatting rules of the Prometheus text exposition format (0.0.4).
enum PrometheusText {
    /// The media type of a `/metrics` response.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// `{a="x",b="y"}`, or "" without labels; values escaped (`\\`, `\"`, `\n`).
    static func labelText(_ labels: MetricLabels, extra: (String, String)? = nil) -> String {
        var pairs = labels.pairs.map { ($0.name, $0.value) }
        if let extra { pairs.append(extra) }
        if pairs.isEmpty { return "" }
        return "{" + pairs.map { "\($0.0)=\"\(escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
    }

    static func escapeLabel(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    static func escapeHelp(_ value: String) -> String {
        value.replacingBackslashesAndNewlines()
    }

    /// Integers without a fraction (`42`), other values as Swift prints them.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

extension String {
    fileprivate func replacingBackslashesAndNewlines() -> String {
        var out = ""
        for character in self {
            switch character {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}
