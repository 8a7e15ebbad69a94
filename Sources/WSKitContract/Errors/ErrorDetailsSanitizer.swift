/// Removes from error details what must not leave the server: keys that look like secrets, and
/// values whose JSON is too large.
///
/// Key matching ignores case, `_` and `-`: a key is dropped when its normalised form *equals* one
/// of ``exactKeys`` (short words like `token`, `auth`) or *contains* one of ``containedWords``
/// (`password`, `secret`, `apikey`, `authorization`, …: `userPassword`, `x-api-key`). Nested objects
/// and objects inside arrays are cleaned the same way; then any value whose compact JSON exceeds
/// ``maxValueBytes`` is dropped. At most ``maxKeys`` keys are kept per object.
public struct ErrorDetailsSanitizer: Sendable, Hashable {
    /// Normalised keys dropped when equal.
    public var exactKeys: Set<String>
    /// Normalised words that drop any key containing them.
    public var containedWords: [String]
    /// The largest compact JSON size of one value, in bytes.
    public var maxValueBytes: Int
    /// The most keys kept per object (later keys are dropped).
    public var maxKeys: Int

    /// Creates a sanitizer.
    public init(exactKeys: Set<String>, containedWords: [String], maxValueBytes: Int, maxKeys: Int) {
        self.exactKeys = exactKeys
        self.containedWords = containedWords
        self.maxValueBytes = maxValueBytes
        self.maxKeys = maxKeys
    }

    /// The list WS-Kit's specification names (password, token, authorization, cookie, secret,
    /// api keys, access and refresh tokens, credentials, auth, bearer, jwt), plus a few more
    /// (private keys, session ids, signatures); values over 500 bytes; 64 keys per object.
    public static let `default` = ErrorDetailsSanitizer(
        exactKeys: ["token", "auth", "bearer", "jwt", "pin", "otp", "signature", "sessionid"],
        containedWords: [
            "password", "passwd", "secret", "authorization", "cookie", "apikey", "accesstoken",
            "refreshtoken", "idtoken", "authtoken", "bearertoken", "credential", "privatekey", "clientsecret",
        ],
        maxValueBytes: 500,
        maxKeys: 64
    )

    /// Whether `key` looks like it names a secret.
    public func isSecret(_ key: String) -> Bool {
        var normalised = ""
        normalised.reserveCapacity(key.utf8.count)
        for scalar in key.unicodeScalars where scalar != "_" && scalar != "-" && scalar != " " && scalar != "." {
            normalised.unicodeScalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
        if exactKeys.contains(normalised) { return true }
        return containedWords.contains { normalised.contains($0) }
    }

    /// The cleaned details.
    public func sanitize(_ details: JSONObject) -> JSONObject {
        sanitizeObject(details, depth: 0)
    }

    func sanitizeObject(_ object: JSONObject, depth: Int) -> JSONObject {
        var result = JSONObject(minimumCapacity: min(object.count, maxKeys))
        for (key, value) in object {
            if result.count >= maxKeys { break }
            if isSecret(key) { continue }
            guard let clean = sanitizeValue(value, depth: depth + 1) else { continue }
            result.appendUnchecked(key, clean)
        }
        return result
    }

    func sanitizeValue(_ value: JSONValue, depth: Int) -> JSONValue? {
        let clean: JSONValue
        switch value {
        case .object(let object):
            guard depth < 16 else { return nil }
            clean = .object(sanitizeObject(object, depth: depth))
        case .array(let array):
            guard depth < 16 else { return nil }
            clean = .array(array.compactMap { sanitizeValue($0, depth: depth + 1) })
        case .string(let string):
            // Cheap bound first: a string's JSON is at least its UTF-8 length plus quotes.
            if string.utf8.count + 2 > maxValueBytes { return nil }
            clean = value
        default:
            clean = value
        }
        switch clean {
        case .object, .array, .string:
            var bytes: [UInt8] = []
            JSON.serialize(clean, into: &bytes)
            if bytes.count > maxValueBytes { return nil }
        default:
            break
        }
        return clean
    }
}
