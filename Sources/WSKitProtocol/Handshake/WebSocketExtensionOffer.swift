/// One element of a `Sec-WebSocket-Extensions` field (RFC 6455 §9.1): an extension name with its
/// ordered parameters, such as `permessage-deflate; client_max_window_bits`.
///
/// The same shape serves the client's offers and the server's accepted extensions in the 101.
public struct WebSocketExtensionOffer: Sendable, Hashable, CustomStringConvertible {
    /// One `name[=value]` parameter.
    public struct Parameter: Sendable, Hashable {
        /// The parameter name (a token).
        public var name: String
        /// The value, unquoted, or `nil` for a bare parameter.
        public var value: String?

        /// Creates a parameter.
        public init(name: String, value: String? = nil) {
            self.name = name
            self.value = value
        }
    }

    /// The extension name (a token), for example `permessage-deflate`.
    public var name: String
    /// The parameters in the order sent.
    public var parameters: [Parameter]

    /// Creates an offer.
    public init(name: String, parameters: [Parameter] = []) {
        self.name = name
        self.parameters = parameters
    }

    /// The first parameter named `name` (ASCII case-insensitive), or `nil`.
    public func parameter(named name: String) -> Parameter? {
        parameters.first { HTTPSyntax.equalsIgnoringASCIICase($0.name.utf8, name.utf8) }
    }

    /// This element as written in the field: `name; param; param=value`. Values that are not
    /// tokens are written as quoted strings.
    public var headerValue: String {
        var result = name
        for parameter in parameters {
            result += "; "
            result += parameter.name
            if let value = parameter.value {
                result += "="
                result += HTTPSyntax.isToken(value) ? value : WebSocketExtensionOffer.quoted(value)
            }
        }
        return result
    }

    /// The same as `headerValue`.
    public var description: String { headerValue }

    /// A whole field value: the elements' `headerValue`s joined by `, `.
    public static func headerValue(_ extensions: [WebSocketExtensionOffer]) -> String {
        extensions.map(\.headerValue).joined(separator: ", ")
    }

    /// Parses the values of every `Sec-WebSocket-Extensions` field, in order, or returns `nil`
    /// when one is malformed.
    ///
    /// Grammar (RFC 6455 §9.1) with optional whitespace around `,`, `;` and `=`:
    /// `extension = token *( ";" token [ "=" ( token / quoted-string ) ] )`; a quoted value must
    /// be a token once unescaped. Empty list elements are ignored.
    public static func parse(headerValues: [String]) -> [WebSocketExtensionOffer]? {
        var result: [WebSocketExtensionOffer] = []
        for value in headerValues {
            var value = value
            let ok = value.withUTF8 { utf8 in
                var cursor = HTTPListSyntax.Cursor(UnsafeRawBufferPointer(utf8))
                return parseList(&cursor, into: &result)
            }
            if !ok { return nil }
        }
        return result
    }

    /// Parses one field value; see `parse(headerValues:)`.
    public static func parse(headerValue: String) -> [WebSocketExtensionOffer]? {
        parse(headerValues: [headerValue])
    }

    private static func parseList(_ cursor: inout HTTPListSyntax.Cursor, into result: inout [WebSocketExtensionOffer]) -> Bool {
        while true {
            cursor.skipWhitespace()
            if cursor.isAtEnd { return true }
            if cursor.consume(UInt8(ascii: ",")) { continue }
            guard let name = cursor.token() else { return false }
            var offer = WebSocketExtensionOffer(name: name)
            cursor.skipWhitespace()
            while cursor.consume(UInt8(ascii: ";")) {
                cursor.skipWhitespace()
                guard let parameterName = cursor.token() else { return false }
                var parameter = Parameter(name: parameterName)
                cursor.skipWhitespace()
                if cursor.consume(UInt8(ascii: "=")) {
                    cursor.skipWhitespace()
                    if cursor.current == UInt8(ascii: "\"") {
                        guard let unquoted = cursor.quotedString(), HTTPSyntax.isToken(unquoted) else { return false }
                        parameter.value = unquoted
                    } else {
                        guard let token = cursor.token() else { return false }
                        parameter.value = token
                    }
                    cursor.skipWhitespace()
                }
                offer.parameters.append(parameter)
            }
            result.append(offer)
            if cursor.isAtEnd { return true }
            guard cursor.consume(UInt8(ascii: ",")) else { return false }
        }
    }

    private static func quoted(_ value: String) -> String {
        var result = "\""
        for character in value.unicodeScalars {
            if character == "\"" || character == "\\" { result.unicodeScalars.append("\\") }
            result.unicodeScalars.append(character)
        }
        result += "\""
        return result
    }
}
