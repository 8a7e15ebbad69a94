import WSKitContract

/// Indented JSON text, so that result files read well and diff line by line. Arrays of scalars
/// stay on one line.
public enum PrettyJSON {
    /// `value` as indented JSON text with a trailing newline.
    public static func render(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: "", into: &out)
        return out + "\n"
    }

    static func write(_ value: JSONValue, indent: String, into out: inout String) {
        let inner = indent + "  "
        switch value {
        case .object(let object) where !object.isEmpty:
            out += "{\n"
            for (index, pair) in object.enumerated() {
                out += inner + JSON.serialize(.string(pair.key)) + ": "
                write(pair.value, indent: inner, into: &out)
                out += index + 1 < object.count ? ",\n" : "\n"
            }
            out += indent + "}"
        case .array(let items) where items.contains(where: { $0.arrayValue != nil || $0.objectValue != nil }):
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += inner
                write(item, indent: inner, into: &out)
                out += index + 1 < items.count ? ",\n" : "\n"
            }
            out += indent + "]"
        case .array(let items):
            out += "[" + items.map { JSON.serialize($0) }.joined(separator: ", ") + "]"
        default:
            out += JSON.serialize(value)
        }
    }
}
