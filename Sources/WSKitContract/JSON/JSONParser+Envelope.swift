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
    /// ``parseDocument()`` throws for the same input: the steps mirror it and ``parseObject()``
    /// byte for byte.
    mutating func parseEnvelopeMembers() throws(JSONParseError) -> EnvelopeMembers? {
        guard bytes.count <= limits.maxBytes else {
            throw JSONParseError(.inputTooLarge(limit: limits.maxBytes), at: 0)
        }
        skipWhitespace()
        guard position < bytes.count else { throw JSONParseError(.empty, at: position) }
        guard bytes[position] == UInt8(ascii: "{") else { return nil }
        try enterContainer()
        position &+= 1  // {
        skipWhitespace()
        guard position < bytes.count else { throw JSONParseError(.unexpectedEnd, at: position) }
        var members = EnvelopeMembers()
        if bytes[position] == UInt8(ascii: "}") {
            position &+= 1
            depth &-= 1
            return try endOfDocument(members)
        }
        var count = 0
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw JSONParseError(.unexpectedEnd, at: position) }
            guard bytes[position] == UInt8(ascii: "\"") else {
                throw JSONParseError(.unexpectedByte(bytes[position]), at: position)
            }
            let keyOffset = position
            let key = try parseString()
            enum Member { case type, meta, payload }
            let member: Member
            switch key {
            case "type" where members.type == nil: member = .type
            case "meta" where members.meta == nil: member = .meta
            case "payload" where members.payload == nil: member = .payload
            default: return nil  // a repeated or unknown key: the general path reports it
            }
            skipWhitespace()
            guard position < bytes.count else { throw JSONParseError(.unexpectedEnd, at: position) }
            guard bytes[position] == UInt8(ascii: ":") else {
                throw JSONParseError(.unexpectedByte(bytes[position]), at: position)
            }
            position &+= 1
            skipWhitespace()
            let value = try parseValue()
            guard count < limits.maxContainerCount else {
                throw JSONParseError(.tooManyElements(limit: limits.maxContainerCount), at: keyOffset)
            }
            count &+= 1
            switch member {
            case .type: members.type = value
            case .meta: members.meta = value
            case .payload: members.payload = value
            }
            skipWhitespace()
            guard position < bytes.count else { throw JSONParseError(.unexpectedEnd, at: position) }
            switch bytes[position] {
            case UInt8(ascii: ","): position &+= 1
            case UInt8(ascii: "}"):
                position &+= 1
                depth &-= 1
                return try endOfDocument(members)
            case let byte: throw JSONParseError(.unexpectedByte(byte), at: position)
            }
        }
    }

    /// The end of ``parseDocument()``: only whitespace may follow the root value.
    private mutating func endOfDocument(_ members: consuming EnvelopeMembers) throws(JSONParseError) -> EnvelopeMembers {
        skipWhitespace()
        guard position == bytes.count else { throw JSONParseError(.trailingData, at: position) }
        return members
    }
}
