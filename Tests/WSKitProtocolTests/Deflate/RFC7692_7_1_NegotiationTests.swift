import Testing
@testable import WSKitProtocol

private func offers(_ header: String) -> [WebSocketExtensionOffer] {
    WebSocketExtensionOffer.parse(headerValue: header)!
}

/// RFC 7692 §5 and §7.1: the server answers the first acceptable offer, declining invalid ones;
/// the client checks the answer against its offer and fails the connection on an invalid one.
@Suite("RFC 7692 §7.1 negotiation")
struct RFC7692NegotiationTests {
    /// Server options that change nothing the client asked: plain RFC defaults.
    let permissive = PerMessageDeflateOptions(maxWindowBits: 15, peerMaxWindowBits: nil)

    @Test("§5: a plain offer is accepted with the RFC defaults and answered as `permessage-deflate`")
    func plainOffer() throws {
        let agreed = try #require(PerMessageDeflate.negotiate(offers: offers("permessage-deflate"), options: permissive))
        #expect(agreed == PerMessageDeflateParameters())
        #expect(agreed.responseElement.headerValue == "permessage-deflate")
    }

    @Test("§5: no offer, or only other extensions: declined")
    func noOffer() {
        #expect(PerMessageDeflate.negotiate(offers: [], options: .default) == nil)
        #expect(PerMessageDeflate.negotiate(offers: offers("x-webkit-deflate-frame"), options: .default) == nil)
    }

    @Test("§7.1: an invalid offer is declined and the next one is used")
    func invalidOffersDeclined() throws {
        let invalid = [
            "permessage-deflate; unknown_parameter",
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
            "permessage-deflate; server_no_context_takeover=1",
            "permessage-deflate; client_no_context_takeover=true",
            "permessage-deflate; server_max_window_bits",
            "permessage-deflate; server_max_window_bits=7",
            "permessage-deflate; server_max_window_bits=16",
            "permessage-deflate; server_max_window_bits=010",
            "permessage-deflate; client_max_window_bits=abc",
            "permessage-deflate; client_max_window_bits=8; client_max_window_bits=9",
        ]
        for header in invalid {
            #expect(PerMessageDeflate.negotiate(offers: offers(header), options: permissive) == nil, "\(header)")
            let withFallback = offers(header + ", permessage-deflate; client_no_context_takeover")
            let agreed = try #require(PerMessageDeflate.negotiate(offers: withFallback, options: permissive), "\(header)")
            #expect(agreed.clientNoContextTakeover, "the second offer was used after \(header)")
        }
    }

    @Test("§5.1: of several acceptable offers the server picks the first")
    func firstAcceptableOffer() throws {
        let header = "permessage-deflate; server_max_window_bits=10, permessage-deflate"
        let agreed = try #require(PerMessageDeflate.negotiate(offers: offers(header), options: permissive))
        #expect(agreed.serverMaxWindowBits == 10)
        #expect(agreed.responseElement.headerValue == "permessage-deflate; server_max_window_bits=10")
    }

    @Test("§7.1.1.1: server_no_context_takeover offered is always answered; the server may add it")
    func serverNoContextTakeover() throws {
        let asked = try #require(PerMessageDeflate.negotiate(
            offers: offers("permessage-deflate; server_no_context_takeover"), options: permissive))
        #expect(asked.serverNoContextTakeover)
        #expect(asked.responseElement.headerValue == "permessage-deflate; server_no_context_takeover")
        var policy = permissive
        policy.contextTakeover = false
        let added = try #require(PerMessageDeflate.negotiate(offers: offers("permessage-deflate"), options: policy))
        #expect(added.serverNoContextTakeover)
    }

    @Test("§7.1.1.2: the server may answer client_no_context_takeover whether or not it was offered")
    func clientNoContextTakeover() throws {
        var policy = permissive
        policy.peerContextTakeover = false
        let agreed = try #require(PerMessageDeflate.negotiate(offers: offers("permessage-deflate"), options: policy))
        #expect(agreed.responseElement.headerValue == "permessage-deflate; client_no_context_takeover")
    }

    @Test("§7.1.2.1: server_max_window_bits is honoured, and lowered to the server's own limit")
    func serverMaxWindowBits() throws {
        var policy = permissive
        policy.maxWindowBits = 12
        let lowered = try #require(PerMessageDeflate.negotiate(
            offers: offers("permessage-deflate; server_max_window_bits=14"), options: policy))
        #expect(lowered.serverMaxWindowBits == 12)
        let honoured = try #require(PerMessageDeflate.negotiate(
            offers: offers("permessage-deflate; server_max_window_bits=8"), options: policy))
        #expect(honoured.serverMaxWindowBits == 8)
        #expect(honoured.responseElement.headerValue == "permessage-deflate; server_max_window_bits=8")
    }

    @Test("§7.1.2.2: client_max_window_bits is answered only when offered, never above the offer")
    func clientMaxWindowBits() throws {
        var policy = permissive
        policy.peerMaxWindowBits = 10
        let notOffered = try #require(PerMessageDeflate.negotiate(offers: offers("permessage-deflate"), options: policy))
        #expect(notOffered.clientMaxWindowBits == 15)
        #expect(notOffered.responseElement.headerValue == "permessage-deflate")
        let bare = try #require(PerMessageDeflate.negotiate(
            offers: offers("permessage-deflate; client_max_window_bits"), options: policy))
        #expect(bare.responseElement.headerValue == "permessage-deflate; client_max_window_bits=10")
        let lower = try #require(PerMessageDeflate.negotiate(
            offers: offers("permessage-deflate; client_max_window_bits=9"), options: policy))
        #expect(lower.clientMaxWindowBits == 9)
        let quoted = try #require(PerMessageDeflate.negotiate(
            offers: offers("permessage-deflate; client_max_window_bits=\"11\""), options: policy))
        #expect(quoted.clientMaxWindowBits == 10)
    }

    @Test("the client's default offer is what browsers send")
    func clientOffer() {
        #expect(PerMessageDeflate.offer(.client).headerValue == "permessage-deflate; client_max_window_bits")
        let strict = PerMessageDeflateOptions(
            contextTakeover: false, peerContextTakeover: false, maxWindowBits: 10, peerMaxWindowBits: 9)
        #expect(PerMessageDeflate.offer(strict).headerValue
            == "permessage-deflate; client_no_context_takeover; server_no_context_takeover; server_max_window_bits=9; client_max_window_bits=10")
    }

    @Test("client: valid answers give the agreed parameters; no answer means no compression")
    func clientAcceptsValidAnswers() throws {
        func accept(_ header: String, _ options: PerMessageDeflateOptions = .client) throws -> PerMessageDeflateParameters? {
            try PerMessageDeflate.accept(response: offers(header), options: options).get()
        }
        #expect(try PerMessageDeflate.accept(response: [], options: .client).get() == nil)
        #expect(try accept("permessage-deflate") == PerMessageDeflateParameters())
        let all = try #require(try accept(
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9; client_max_window_bits=8"))
        #expect(all == PerMessageDeflateParameters(
            serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 9, clientMaxWindowBits: 8))
    }

    @Test("client: an invalid answer, or one that does not fit the offer, fails the connection")
    func clientRefusesInvalidAnswers() {
        let strict = PerMessageDeflateOptions(peerContextTakeover: false, maxWindowBits: 10, peerMaxWindowBits: 10)
        let cases: [(String, PerMessageDeflateOptions)] = [
            ("permessage-deflate; foo", .client),
            ("permessage-deflate; client_max_window_bits", .client),  // a value is required in an answer
            ("permessage-deflate; server_max_window_bits=16", .client),
            ("permessage-deflate; server_no_context_takeover; server_no_context_takeover", .client),
            ("permessage-deflate, permessage-deflate", .client),
            ("permessage-deflate; server_max_window_bits=10", strict),  // server_no_context_takeover missing
            ("permessage-deflate; server_no_context_takeover", strict),  // server_max_window_bits missing
            ("permessage-deflate; server_no_context_takeover; server_max_window_bits=11", strict),
            ("permessage-deflate; server_no_context_takeover; server_max_window_bits=10; client_max_window_bits=11", strict),
        ]
        for (header, options) in cases {
            let result = PerMessageDeflate.accept(response: offers(header), options: options)
            guard case .failure(.invalidExtensionResponse) = result else {
                Issue.record("accepted \(header): \(result)")
                continue
            }
        }
    }

    @Test("the server's answer is accepted by the client that made the offer, with the same parameters")
    func roundTrip() throws {
        for server in [PerMessageDeflateOptions.default, .noContextTakeover, permissive] {
            for client in [PerMessageDeflateOptions.client, .noContextTakeover, .default] {
                let agreed = try #require(PerMessageDeflate.negotiate(offers: [PerMessageDeflate.offer(client)], options: server))
                let seen = try #require(try PerMessageDeflate.accept(response: [agreed.responseElement], options: client).get())
                #expect(seen == agreed)
            }
        }
    }
}
