/// The request line and header fields of an HTTP/1.1 request (RFC 9112 §3, §5).
public struct HTTPRequestHead: Sendable, Hashable {
    /// One `name=value` pair of the query, percent-decoded.
    public struct QueryItem: Sendable, Hashable {
        /// The decoded name.
        public var name: String
        /// The decoded value, or `nil` when the item has no `=`.
        public var value: String?

        /// Creates an item.
        public init(name: String, value: String?) {
            self.name = name
            self.value = value
        }
    }

    /// The method, case-sensitive as sent (`GET`).
    public var method: String
    /// The request target exactly as sent (`/chat?room=1`).
    public private(set) var target: String
    /// The path of the target, still percent-encoded (`/chat`). For an absolute-form target
    /// (`http://host/chat`) the path part (`/` if empty); for `*` or authority-form, the target.
    public private(set) var path: String
    /// The raw query of the target without `?` (`room=1`), or `nil` if the target has no `?`.
    public private(set) var query: String?
    /// The HTTP version.
    public var version: HTTPVersion
    /// The header fields in order.
    public var headers: HTTPHeaders

    /// Creates a head; `path` and `query` are derived from `target`.
    public init(method: String, target: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = HTTPHeaders()) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        (path, query) = HTTPRequestHead.split(target: target)
    }

    /// Replaces the target, updating `path` and `query`.
    public mutating func setTarget(_ target: String) {
        self.target = target
        (path, query) = HTTPRequestHead.split(target: target)
    }

    /// The query items in order: split on `&`, each on its first `=`, then percent-decoded with
    /// `+` read as a space (HTML form encoding). Empty items are skipped; malformed escapes are kept
    /// literally, and invalid UTF-8 becomes U+FFFD.
    public var queryItems: [QueryItem] {
        guard let query, !query.isEmpty else { return [] }
        var items: [QueryItem] = []
        for item in query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            if let equals = item.firstIndex(of: UInt8(ascii: "=")) {
                items.append(QueryItem(
                    name: HTTPRequestHead.percentDecoded(item[item.startIndex ..< equals]),
                    value: HTTPRequestHead.percentDecoded(item[item.index(after: equals)...])
                ))
            } else {
                items.append(QueryItem(name: HTTPRequestHead.percentDecoded(item), value: nil))
            }
        }
        return items
    }

    /// The decoded value of the first query item named `name` (`nil` if absent or valueless).
    public func queryValue(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value ?? nil
    }

    static func percentDecoded(_ bytes: Substring.UTF8View) -> String {
        if !bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) {
            return String(Substring(bytes))
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                output.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"),
                      let first = bytes.index(index, offsetBy: 1, limitedBy: bytes.endIndex), first < bytes.endIndex,
                      let second = bytes.index(index, offsetBy: 2, limitedBy: bytes.endIndex), second < bytes.endIndex,
                      let high = hexValue(bytes[first]), let low = hexValue(bytes[second]) {
                output.append(high << 4 | low)
                index = second
            } else {
                output.append(byte)
            }
            index = bytes.index(after: index)
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): return byte &- 48
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): return byte &- 87
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): return byte &- 55
        default: return nil
        }
    }

    /// The index just after `://` in an absolute-form target, or `nil`.
    private static func schemeEnd(_ utf8: String.UTF8View) -> String.UTF8View.Index? {
        guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let rest = utf8[utf8.index(after: colon)...]
        guard rest.starts(with: "//".utf8) else { return nil }
        return utf8.index(colon, offsetBy: 3)
    }

    /// Splits a request target into its path and raw query (RFC 9112 §3.2).
    static func split(target: String) -> (path: String, query: String?) {
        let utf8 = target.utf8
        var pathStart = utf8.startIndex
        if utf8.first != UInt8(ascii: "/") {
            // absolute-form: skip "scheme://authority"; otherwise `*` or authority-form.
            guard let afterScheme = schemeEnd(utf8) else { return (target, nil) }
            pathStart = utf8[afterScheme...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? utf8.endIndex
        }
        let rest = utf8[pathStart...]
        let fragment = rest.firstIndex(of: UInt8(ascii: "#")) ?? utf8.endIndex
        let question = rest[..<fragment].firstIndex(of: UInt8(ascii: "?"))
        var path = String(Substring(utf8[pathStart ..< (question ?? fragment)]))
        if path.isEmpty { path = "/" }
        let query = question.map { String(Substring(utf8[utf8.index(after: $0) ..< fragment])) }
        return (path, query)
    }
}
