import WSKitContract

/// Indented JSON and YAML renderings of a JSON value (keys in the value's order).
public enum DocumentText {
    /// Indented JSON (two spaces), ending with a newline.
    public static func json(_ value: JSONValue) -> String {
        var out = ""
        writeJSON(value, indent: "", into: &out)
        out += "\n"
        return out
    }

    private static func writeJSON(_ value: JSONValue, indent: String, into out: inout String) {
        let inner = indent + "  "
        switch value {
        case .array(let items) where !items.isEmpty:
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += inner
                writeJSON(item, indent: inner, into: &out)
                out += index == items.count - 1 ? "\n" : ",\n"
            }
            out += indent + "]"
        case .object(let object) where !object.isEmpty:
            out += "{\n"
            for (index, pair) in object.enumerated() {
                out += inner + JSON.serialize(.string(pair.key)) + ": "
                writeJSON(pair.value, indent: inner, into: &out)
                out += index == object.count - 1 ? "\n" : ",\n"
            }
            out += indent + "}"
        default:
            out += JSON.serialize(value)
        }
    }

    /// YAML (block style; strings are double-quoted JSON strings, which YAML reads as is).
    public static func yaml(_ value: JSONValue) -> String {
        var out = ""
        writeYAML(value, indent: "", into: &out)
        if !out.hasSuffix("\n") { out += "\n" }
        return out
    }

    private static func isScalar(_ value: JSONValue) -> Bool {
        switch value {
        case .array(let items): items.isEmpty
        case .object(let object): object.isEmpty
        default: true
        }
    }

    private static func scalar(_ value: JSONValue) -> String {
        // JSON's scalars, `[]` and `{}` are YAML flow scalars/collections with the same meaning.
        JSON.serialize(value)
    }

    private static func writeYAML(_ value: JSONValue, indent: String, into out: inout String) {
        switch value {
        case .object(let object) where !object.isEmpty:
            for pair in object {
                out += indent + JSON.serialize(.string(pair.key)) + ":"
                if isScalar(pair.value) {
                    out += " " + scalar(pair.value) + "\n"
                } else {
                    out += "\n"
                    writeYAML(pair.value, indent: indent + "  ", into: &out)
                }
            }
        case .array(let items) where !items.isEmpty:
            for item in items {
                if isScalar(item) {
                    out += indent + "- " + scalar(item) + "\n"
                } else {
                    out += indent + "-\n"
                    writeYAML(item, indent: indent + "  ", into: &out)
                }
            }
        default:
            out += indent + scalar(value) + "\n"
        }
    }
}
