extension RedisConfiguration {
    /// Parses `redis://[[username]:password@]host[:port][/database]`.
    ///
    /// The host may be a name, an IPv4 literal or a bracketed IPv6 literal (`[::1]`); user name
    /// and password are percent-decoded. An empty host means `127.0.0.1`. Other settings keep
    /// their defaults. `rediss://` (TLS) and query strings are rejected: the client has no TLS.
    public init(url: String) throws(RedisError) {
        self.init()
        let scheme = "redis://"
        guard url.hasPrefix(scheme) else {
            throw .invalidURL(url.hasPrefix("rediss://") ? "TLS (rediss://) is not supported" : "the scheme must be redis://")
        }
        var rest = Substring(url.dropFirst(scheme.count))
        guard !rest.contains("?"), !rest.contains("#") else { throw .invalidURL("query strings and fragments are not supported") }

        // Split off the path (database).
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if !path.isEmpty {
                guard let database = Int(path), database >= 0 else { throw .invalidURL("database '\(path)' is not a number") }
                self.database = database
            }
        }
        // Split off the credentials at the last '@'.
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                let user = try Self.percentDecoded(userInfo[..<colon])
                username = user.isEmpty ? nil : user
                password = try Self.percentDecoded(userInfo[userInfo.index(after: colon)...])
            } else if !userInfo.isEmpty {
                // `redis://secret@host`: a lone user-info is the password (as redis-cli reads it).
                password = try Self.percentDecoded(userInfo)
            }
        }
        // Host and port.
        var hostPart = rest
        var portPart: Substring?
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else { throw .invalidURL("unterminated IPv6 literal") }
            let after = hostPart[hostPart.index(after: close)...]
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex) ..< close]
            if !after.isEmpty {
                guard after.first == ":" else { throw .invalidURL("unexpected '\(after)' after the host") }
                portPart = after.dropFirst()
            }
        } else if let colon = hostPart.lastIndex(of: ":") {
            portPart = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
            guard !hostPart.contains(":") else { throw .invalidURL("IPv6 hosts must be in brackets") }
        }
        if !hostPart.isEmpty { host = String(hostPart) }
        if let portPart {
            guard let port = Int(portPart), (1 ... 65535).contains(port) else { throw .invalidURL("port '\(portPart)' is not in 1...65535") }
            self.port = port
        }
    }

    private static func percentDecoded(_ text: Substring) throws(RedisError) -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw .invalidURL("bad percent escape")
            }
            bytes.append(high << 4 | low)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
