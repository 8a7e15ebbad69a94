/// Entry points of WSKit's JSON codec: strict parsing with limits, compact serialisation.
public enum JSON {
    /// Parses one JSON text (RFC 8259) from UTF-8 bytes.
    ///
    /// Rejects duplicate keys, ill-formed UTF-8, lone surrogates and anything beyond `limits`,
    /// always with a ``JSONParseError``.
    public static func parse(
        _ bytes: UnsafeRawBufferPointer, limits: JSONLimits = .default
    ) throws(JSONParseError) -> JSONValue {
        let typed = bytes.assumingMemoryBound(to: UInt8.self)
        var parser = JSONParser(bytes: typed, limits: limits)
        return try parser.parseDocument()
    }

    /// Parses one JSON text from a string.
    public static func parse(_ text: String, limits: JSONLimits = .default) throws(JSONParseError) -> JSONValue {
        var text = text
        let result: Result<JSONValue, JSONParseError> = text.withUTF8 { utf8 in
            do throws(JSONParseError) {
                return .success(try parse(UnsafeRawBufferPointer(utf8), limits: limits))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses one JSON text from a byte array.
    public static func parse(_ bytes: [UInt8], limits: JSONLimits = .default) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBytes { raw in
            do throws(JSONParseError) {
                return .success(try parse(raw, limits: limits))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Appends the compact JSON text of `value` to `bytes`.
    public static func serialize(_ value: JSONValue, into bytes: inout [UInt8]) {
        JSONSerializer.write(value, into: &bytes)
    }

    /// The compact JSON text of `value`.
    public static func serialize(_ value: JSONValue) -> String {
        var bytes: [UInt8] = []
        JSONSerializer.write(value, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
