/// The client address a trusted reverse proxy reports (ADR 0093): the last element of an
/// `X-Forwarded-For`-style header, the one the proxy itself appended (earlier elements come from
/// the client and may be forged). Returns nil unless it looks like an IPv4 or IPv6 literal, so a
/// malformed header cannot make up arbitrary limiter keys.
package func forwardedClientAddress(_ value: String) -> String? {
    let last = value.split(separator: ",", omittingEmptySubsequences: false).last ?? ""
    let trimmed = last.trimmingSpaces
    guard (2 ... 45).contains(trimmed.utf8.count),
          trimmed.utf8.allSatisfy({ byte in
              (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
                  || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
          }),
          trimmed.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") })
    else { return nil }
    return String(trimmed)
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}
