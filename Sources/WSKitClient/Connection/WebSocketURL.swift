/// A `ws://` or `wss://` URL, split into what the transport and the handshake need
/// (RFC 6455 §3).
///
/// ```swift
/// let url = try WebSocketURL("ws://localhost:8080/chat?room=1")
/// url.requestTarget   // "/chat?room=1"
/// url.hostHeader      // "localhost:8080"
/// ```
public struct WebSocketURL: Sendable, Hashable, CustomStringConvertible {
    /// Whether the scheme is `wss`.
    public var secure: Bool
    /// The host name or IP literal (IPv6 without brackets).
    public var host: String
    /// The port (80 for `ws`, 443 for `wss` when the URL names none).
    public var port: Int
    /// The path, starting with `/`, percent-encoded.
    public var path: String
    /// The query without the `?`, percent-encoded, or nil.
    public var query: String?

    /// Parses a URL. Bytes that may not appear in a request target (spaces, non-ASCII) are
    /// percent-encoded; user info and fragments are rejected.
    public init(_ string: String) throws(WebSocketURLError) {
        var rest = Substring(string)
        guard let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://") else {
            throw .invalidScheme(string)
        }
        switch rest[..<colon].lowercased() {
        case "ws": secure = false
        case "wss": secure = true
        default: throw .invalidScheme(string)
        }
        rest = rest[rest.index(colon, offsetBy: 3)...]
        guard !rest.contains("#") else { throw .fragmentNotAllowed }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        rest = rest[authorityEnd...]
        guard !authority.contains("@") else { throw .userInfoNotAllowed }
        var hostPart = authority
        var portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .invalidHost(String(authority)) }
            hostPart = authority[authority.index(after: authority.startIndex) ..< close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .invalidHost(String(authority)) }
                portPart = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        }
        guard !hostPart.isEmpty, hostPart.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") })
        else { throw .invalidHost(String(authority)) }
        host = String(hostPart)
        if let portPart {
            guard let value = Int(portPart), (1 ... 65535).contains(value) else { throw .invalidPort(String(portPart)) }
            port = value
        } else {
            port = secure ? 443 : 80
        }
        var pathPart = rest
        query = nil
        if let mark = rest.firstIndex(of: "?") {
            pathPart = rest[..<mark]
            query = Self.encodeTargetBytes(rest[rest.index(after: mark)...])
        }
        path = pathPart.isEmpty ? "/" : Self.encodeTargetBytes(pathPart)
    }

    /// The request target of the upgrade request: path and query.
    public var requestTarget: String {
        guard let query else { return path }
        return path + "?" + query
    }

    /// The `Host` field: the host (bracketed when IPv6), plus `:port` unless it is the scheme's
    /// default.
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (secure ? 443 : 80) ? name : "\(name):\(port)"
    }

    /// What a transport connects to.
    public var endpoint: ClientEndpoint { ClientEndpoint(host: host, port: port, secure: secure) }

    /// The URL with query parameter `name` set to `value` (percent-encoded), replacing any
    /// existing values of `name`.
    public func settingQueryItem(name: String, value: String) -> WebSocketURL {
        let encodedName = Self.percentEncode(name)
        var items = (query ?? "").split(separator: "&", omittingEmptySubsequences: true).filter {
            $0.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) != encodedName
        }.map(String.init)
        items.append(encodedName + "=" + Self.percentEncode(value))
        var copy = self
        copy.query = items.joined(separator: "&")
        return copy
    }

    /// The URL as text.
    public var description: String {
        (secure ? "wss://" : "ws://") + hostHeader + requestTarget
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    static func percentEncode(_ string: String) -> String {
        var result = ""
        result.reserveCapacity(string.utf8.count)
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "A") ... UInt8(ascii: "Z"), UInt8(ascii: "a") ... UInt8(ascii: "z"),
                 UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result.append(Self.escape(byte))
            }
        }
        return result
    }

    /// Percent-encodes the bytes a request target cannot hold (controls, space, non-ASCII).
    static func encodeTargetBytes(_ text: Substring) -> String {
        var result = ""
        for byte in text.utf8 {
            if byte > 0x20 && byte < 0x7F {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result.append(Self.escape(byte))
            }
        }
        return result
    }

    private static func escape(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".unicodeScalars)
        var text = "%"
        text.unicodeScalars.append(digits[Int(byte >> 4)])
        text.unicodeScalars.append(digits[Int(byte & 0xF)])
        return text
    }
}

/// Why a string is not a usable WebSocket URL.
public enum WebSocketURLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The scheme is not `ws` or `wss`.
    case invalidScheme(String)
    /// The host is empty or malformed.
    case invalidHost(String)
    /// The port is not a number in 1…65535.
    case invalidPort(String)
    /// `user:password@` is not supported (send credentials with the auth options).
    case userInfoNotAllowed
    /// WebSocket URLs have no fragment (RFC 6455 §3).
    case fragmentNotAllowed

    /// A short English explanation.
    public var description: String {
        switch self {
        case .invalidScheme(let url): "not a ws:// or wss:// URL: \(url)"
        case .invalidHost(let host): "invalid host: \(host)"
        case .invalidPort(let port): "invalid port: \(port)"
        case .userInfoNotAllowed: "user info (user@host) is not allowed in a WebSocket URL"
        case .fragmentNotAllowed: "a WebSocket URL cannot have a fragment"
        }
    }
}
