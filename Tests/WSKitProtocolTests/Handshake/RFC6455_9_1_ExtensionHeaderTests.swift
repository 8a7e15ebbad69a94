import Testing
@testable import WSKitProtocol

@Suite("RFC 6455 §9.1 — Sec-WebSocket-Extensions grammar")
struct RFC6455_9_1_ExtensionHeaderTests {
    typealias Offer = WebSocketExtensionOffer
    typealias Parameter = WebSocketExtensionOffer.Parameter

    @Test("the §9.1 example parses into two extensions with ordered parameters")
    func rfcExample() throws {
        let offers = try #require(Offer.parse(headerValue: "foo, bar; baz=2"))
        #expect(offers == [Offer(name: "foo"), Offer(name: "bar", parameters: [Parameter(name: "baz", value: "2")])])
    }

    @Test("a Chrome/Firefox permessage-deflate offer keeps parameter order and valueless parameters")
    func browserOffer() throws {
        let offers = try #require(Offer.parse(headerValue: "permessage-deflate; client_max_window_bits; server_max_window_bits=10, permessage-deflate"))
        #expect(offers.count == 2)
        #expect(offers[0].name == "permessage-deflate")
        #expect(offers[0].parameters == [
            Parameter(name: "client_max_window_bits", value: nil),
            Parameter(name: "server_max_window_bits", value: "10"),
        ])
        #expect(offers[0].parameter(named: "SERVER_MAX_WINDOW_BITS")?.value == "10")
        #expect(offers[0].parameter(named: "server_no_context_takeover") == nil)
        #expect(offers[1].parameters.isEmpty)
    }

    @Test("quoted-string values are unquoted and unescaped (RFC 7692 §7.1 example)")
    func quotedValues() throws {
        let offers = try #require(Offer.parse(headerValue: #"permessage-deflate; client_max_window_bits="10", x; y="a\b""#))
        #expect(offers[0].parameters == [Parameter(name: "client_max_window_bits", value: "10")])
        #expect(offers[1].parameters == [Parameter(name: "y", value: "ab")])
    }

    @Test("whitespace around ',', ';' and '=' is optional; empty list elements are ignored; fields concatenate")
    func whitespaceAndLists() throws {
        let offers = try #require(Offer.parse(headerValues: ["  a ;b = 1 ;\tc ,, ", "d"]))
        #expect(offers == [
            Offer(name: "a", parameters: [Parameter(name: "b", value: "1"), Parameter(name: "c")]),
            Offer(name: "d"),
        ])
        #expect(Offer.parse(headerValue: "") == [])
    }

    @Test("malformed values are rejected", arguments: [
        "a;",                 // parameter name missing
        "a; =1",              // parameter name missing
        "a; b=",              // value missing
        "a; b=\"1",           // unterminated quoted string
        "a; b=\"1 2\"",       // quoted value that is not a token after unescaping
        "a; b=\"\"",          // empty quoted value is not a token
        "a; b=1 2",           // junk after value
        "a b",                // two tokens without a separator
        ";a",                 // missing extension name
        "a; b=\"x\"y",        // junk after quoted string
        "ä",                  // non-token name
        "a; b=(1)",           // non-token value
    ])
    func malformed(value: String) {
        #expect(Offer.parse(headerValue: value) == nil)
    }

    @Test("a malformed header in a handshake is refused with 400")
    func refusedInHandshake() throws {
        let head = HTTPRequestHead(method: "GET", target: "/", headers: [
            "Host": "h", "Upgrade": "websocket", "Connection": "Upgrade",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Extensions": "permessage-deflate; client_max_window_bits=\"x y\"",
        ])
        guard case let .failure(refusal) = WebSocketHandshake.validateUpgrade(head) else {
            Issue.record("accepted a malformed Sec-WebSocket-Extensions")
            return
        }
        #expect(refusal.reason == .malformedExtensions)
        #expect(refusal.status == .badRequest)
    }

    @Test("serialisation writes tokens bare, quotes other values, and round-trips")
    func serialisation() throws {
        let offers = [
            Offer(name: "permessage-deflate", parameters: [Parameter(name: "client_max_window_bits"), Parameter(name: "server_max_window_bits", value: "10")]),
            Offer(name: "x-test", parameters: [Parameter(name: "p", value: "a b\"c")]),
        ]
        let value = Offer.headerValue(offers)
        #expect(value == #"permessage-deflate; client_max_window_bits; server_max_window_bits=10, x-test; p="a b\"c""#)
        let tokenOnly = Array(offers.prefix(1))
        #expect(Offer.parse(headerValue: Offer.headerValue(tokenOnly)) == tokenOnly)
    }
}
