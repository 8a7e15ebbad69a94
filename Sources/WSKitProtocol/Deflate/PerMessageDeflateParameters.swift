/// The four permessage-deflate parameters as agreed for one connection (RFC 7692 §7.1), read
/// from the server's side: `server_*` is what the server's compressor does, `client_*` the
/// client's.
public struct PerMessageDeflateParameters: Sendable, Hashable, CustomStringConvertible {
    /// `server_no_context_takeover`: the server empties its compression window after each message.
    public var serverNoContextTakeover: Bool
    /// `client_no_context_takeover`: the client empties its compression window after each message.
    public var clientNoContextTakeover: Bool
    /// `server_max_window_bits`: the server compresses with an LZ77 window of at most 2^N bytes (8...15).
    public var serverMaxWindowBits: Int
    /// `client_max_window_bits`: the client compresses with an LZ77 window of at most 2^N bytes (8...15).
    public var clientMaxWindowBits: Int

    /// Creates parameters; the defaults are the RFC's (context takeover, 32 KiB windows).
    public init(
        serverNoContextTakeover: Bool = false,
        clientNoContextTakeover: Bool = false,
        serverMaxWindowBits: Int = 15,
        clientMaxWindowBits: Int = 15
    ) {
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientMaxWindowBits = clientMaxWindowBits
    }

    /// The extension name, `permessage-deflate`.
    public static let extensionName = "permessage-deflate"

    /// The response element that states these parameters (non-default ones only).
    public var responseElement: WebSocketExtensionOffer {
        var element = WebSocketExtensionOffer(name: Self.extensionName)
        if serverNoContextTakeover { element.parameters.append(.init(name: "server_no_context_takeover")) }
        if clientNoContextTakeover { element.parameters.append(.init(name: "client_no_context_takeover")) }
        if serverMaxWindowBits < 15 {
            element.parameters.append(.init(name: "server_max_window_bits", value: String(serverMaxWindowBits)))
        }
        if clientMaxWindowBits < 15 {
            element.parameters.append(.init(name: "client_max_window_bits", value: String(clientMaxWindowBits)))
        }
        return element
    }

    /// The response element, as written in the header.
    public var description: String { responseElement.headerValue }
}

/// One permessage-deflate element (an offer or a response) with its parameters checked against
/// RFC 7692 §7.1: only the four known names, each at most once, no value on the two
/// `*_no_context_takeover`, a window size of `8`...`15` written in decimal (a bare
/// `client_max_window_bits` is allowed only in an offer).
struct PerMessageDeflateElement: Equatable {
    var serverNoContextTakeover = false
    var clientNoContextTakeover = false
    /// nil: absent.
    var serverMaxWindowBits: Int?
    /// `.some(nil)`: present without a value (offers only).
    var clientMaxWindowBits: Int??

    /// Parses `element`, or returns nil when it is not a valid permessage-deflate element.
    init?(_ element: WebSocketExtensionOffer, isOffer: Bool) {
        guard HTTPSyntax.equalsIgnoringASCIICase(element.name.utf8, PerMessageDeflateParameters.extensionName.utf8) else {
            return nil
        }
        var seen = Set<String>()
        for parameter in element.parameters {
            let name = parameter.name.lowercased()
            guard seen.insert(name).inserted else { return nil }
            switch name {
            case "server_no_context_takeover":
                guard parameter.value == nil else { return nil }
                serverNoContextTakeover = true
            case "client_no_context_takeover":
                guard parameter.value == nil else { return nil }
                clientNoContextTakeover = true
            case "server_max_window_bits":
                guard let bits = Self.windowBits(parameter.value) else { return nil }
                serverMaxWindowBits = bits
            case "client_max_window_bits":
                if let value = parameter.value {
                    guard let bits = Self.windowBits(value) else { return nil }
                    clientMaxWindowBits = .some(bits)
                } else {
                    guard isOffer else { return nil }
                    clientMaxWindowBits = .some(nil)
                }
            default:
                return nil
            }
        }
    }

    /// `8`...`15` in decimal without leading zeros (RFC 7692 §7.1.2.1), else nil.
    static func windowBits(_ value: String?) -> Int? {
        guard let value, value.utf8.count <= 2, value.utf8.first != UInt8(ascii: "0"),
              value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let bits = Int(value), (8 ... 15).contains(bits)
        else { return nil }
        return bits
    }
}
