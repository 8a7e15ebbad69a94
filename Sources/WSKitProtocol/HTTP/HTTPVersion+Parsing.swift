extension HTTPVersion {
    /// Parses `HTTP/DIGIT.DIGIT` spanning exactly `from..<to` (RFC 9112 §2.3).
    static func parse(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int) -> Result<HTTPVersion, HTTPParseError> {
        guard to &- from == 8,
              bytes[from] == UInt8(ascii: "H"), bytes[from &+ 1] == UInt8(ascii: "T"),
              bytes[from &+ 2] == UInt8(ascii: "T"), bytes[from &+ 3] == UInt8(ascii: "P"),
              bytes[from &+ 4] == UInt8(ascii: "/"), bytes[from &+ 6] == UInt8(ascii: ".")
        else { return .failure(.malformedVersion) }
        let major = bytes[from &+ 5] &- UInt8(ascii: "0"), minor = bytes[from &+ 7] &- UInt8(ascii: "0")
        guard major < 10, minor < 10 else { return .failure(.malformedVersion) }
        let version = HTTPVersion(major: Int(major), minor: Int(minor))
        guard major == 1 else { return .failure(.unsupportedVersion(version)) }
        return .success(version)
    }
}
