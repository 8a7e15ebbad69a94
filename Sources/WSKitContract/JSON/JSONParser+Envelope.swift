/// The members of an envelope's root object, read without building the root object.
struct EnvelopeMembers {
    var type: JSONValue?
    var meta: JSONValue?
    var payload: JSONValue?
}

extension JSONParser {
    /// Parses a whole document whose root is an object with no keys other than `type`, `meta`
    /// and `payload`, each at most once — every well-formed envelope — and returns those members.
    ///
    /// Returns `nil` for any other document that parses so far (a root that is not an object, a
    /// repeated or unknown root key): the caller parses it again with ``parseDocument()``, which
    /// then decides the result and the error. Every error thrown here is the one
    /// ``parseDocument()`` throws for the same input: the steps are theirs (``startDocument()``,
    /// ``openContainer(closing:)``, ``parseMemberKey()``, ``parseMemberValue(keyOffset:count:)``,
    /// ``endOfItem(closing:)``, ``endOfDocument(_:)``).
    mutating func parseEnvelopeMembers() throws(JSONParseError) -> EnvelopeMembers? {
        try startDocument()
        guard bytes[position] == UInt8(ascii: "{") else { return nil }
        var members = EnvelopeMembers()
        if try openContainer(closing: UInt8(ascii: "}")) { return try endOfDocument(members) }
        var count = 0
        while true {
            let (key, keyOffset) = try parseMemberKey()
            enum Member { case type, meta, payload }
            let member: Member
            switch key {
            case "type" where members.type == nil: member = .type
            case "meta" where members.meta == nil: member = .meta
            case "payload" where members.payload == nil: member = .payload
            default: return nil  // a repeated or unknown key: the general path reports it
            }
            let value = try parseMemberValue(keyOffset: keyOffset, count: count)
            count &+= 1
            switch member {
            case .type: members.type = value
            case .meta: members.meta = value
            case .payload: members.payload = value
            }
            if try endOfItem(closing: UInt8(ascii: "}")) { return try endOfDocument(members) }
        }
    }
}
