import Foundation
import Glibc
import Testing
import WSKit
import WSKitFlowControl
import WSKitLiveFixtures

/// The flow-control example over real sockets: a client that stops reading while the feed runs
/// at thousands of updates a second, and a client that keeps reading beside it.
@Suite("Flow control: a live feed and a client that stops reading", .serialized)
struct FlowControlTests {
    /// What one `TICKS` frame carried, and when it arrived.
    struct Arrival: Sendable {
        var at: Double
        var quotes: [Quote]
        var skipped: Int
    }

    struct PushType: Decodable { var type: String }
    struct TicksFrame: Decodable { var payload: Ticks.Payload }

    /// The `TICKS` in a text frame, or `nil` for other pushes.
    static func ticks(opcode: UInt8, payload: [UInt8]) throws -> Ticks.Payload? {
        guard opcode == 0x1 else { return nil }
        let data = Data(payload)
        guard try JSONDecoder().decode(PushType.self, from: data).type == Ticks.type else { return nil }
        return try JSONDecoder().decode(TicksFrame.self, from: data).payload
    }

    /// Applies quotes to a per-symbol view, checking that no symbol ever goes back to an older
    /// value (coalescing keeps the newest; order per symbol is preserved).
    static func apply(_ quotes: [Quote], to view: inout [String: Quote]) {
        for quote in quotes {
            if let seen = view[quote.symbol] {
                #expect(seen.seq < quote.seq, "\(quote.symbol) went from seq \(seen.seq) back to \(quote.seq)")
            }
            view[quote.symbol] = quote
        }
    }

    /// Sets how long a blocking read on `fd` waits.
    static func setReadTimeout(_ fd: Int32, seconds: Double) {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// A frame as it arrived (decoded after the run: JSON decoding in a debug build is slower
    /// than the feed, and a test client that cannot keep up would be a slow client itself).
    struct RawArrival: Sendable {
        var at: Double
        var opcode: UInt8
        var payload: [UInt8]

        init(at: Double, frame: RawClient.Frame) {
            self.at = at
            opcode = frame.opcode
            payload = frame.payload
        }
    }

    static func decode(_ raw: [RawArrival]) throws -> [Arrival] {
        try raw.compactMap { arrival in
            try ticks(opcode: arrival.opcode, payload: arrival.payload).map { Arrival(at: arrival.at, quotes: $0.quotes, skipped: $0.skipped) }
        }
    }

    @Test("a client that stops reading is sent the latest value per symbol when it resumes; the server holds at most one per symbol for it; the fast client never stalls")
    func slowClientCoalesces() async throws {
        let symbols = 40
        let feed = LiveFeed(symbols: symbols, perSecond: 20_000, interval: .milliseconds(10))
        let server = try FeedServer(feed: feed, port: 0) { $0.logger = NoLogger() }
        try server.start()
        defer { server.shutdown() }
        let port = server.port
        // The slow client stops reading until the kernel's buffers are full (up to 4 MiB of
        // send buffer on Linux) and the server has held its updates back for two seconds.
        let heldBack = 2.0

        // The fast client reads continuously until the feed has been quiet for a second.
        async let fastRun: [RawArrival] = runBlocking {
            let fast = try RawClient.upgraded(port: port, path: "/feed?name=fast", timeout: 30)
            var arrivals: [RawArrival] = []
            while let frame = try? fast.readFrame() {
                arrivals.append(RawArrival(at: monotonicSeconds(), frame: frame))
                if arrivals.count == 1 { Self.setReadTimeout(fast.fd, seconds: 1.5) }
            }
            return arrivals
        }

        let (slowRaw, stallStart, stallEnd, congestedStats, stallEndStats, snapshot) = try await runBlocking {
            // A small receive window, so the kernels do not absorb seconds of the feed.
            let slow = RawClient(connected: try RawClient.connectBlocking(port: port, receiveBuffer: 8 * 1024), timeout: 10)
            let response = try slow.handshake(path: "/feed?name=slow")
            #expect(response.hasPrefix("HTTP/1.1 101"))
            var raw: [RawArrival] = []
            // Both clients subscribed and served: the slow one's first batch arrived, the fast one
            // has been sent something.
            while raw.isEmpty || !(feed.stats().first { $0.name == "fast" }.map { $0.messages > 0 } ?? false) {
                raw.append(RawArrival(at: monotonicSeconds(), frame: try slow.readFrame()))
            }
            // Stop reading; watch what the server keeps for this client meanwhile.
            let stallStart = monotonicSeconds()
            var firstCongested: (stats: SubscriberStats, at: Double)?
            var last: SubscriberStats?
            while monotonicSeconds() < (firstCongested?.at ?? stallStart + 30 - heldBack) + heldBack {
                usleep(100_000)
                guard let stats = feed.stats().first(where: { $0.name == "slow" }) else { continue }
                #expect(stats.pendingSymbols <= symbols)
                if stats.congested, firstCongested == nil { firstCongested = (stats, monotonicSeconds()) }
                last = stats
            }
            let stallEnd = monotonicSeconds()
            // Freeze the prices: from now on the latest value of every symbol is final.
            feed.setPaused(true)
            let snapshot = Dictionary(uniqueKeysWithValues: feed.latest.map { ($0.symbol, $0) })
            // Resume reading until nothing more comes (the feed is frozen).
            Self.setReadTimeout(slow.fd, seconds: 1.5)
            while let frame = try? slow.readFrame() {
                raw.append(RawArrival(at: monotonicSeconds(), frame: frame))
            }
            return (raw, stallStart, stallEnd, firstCongested?.stats, last, snapshot)
        }
        let fastArrivals = try Self.decode(try await fastRun)
        let slowArrivals = try Self.decode(slowRaw)

        // The slow client fell behind, and the server stopped sending to it instead of queueing.
        let congested = try #require(congestedStats, "the slow client never fell behind")
        let atStallEnd = try #require(stallEndStats)
        #expect(atStallEnd.congested)
        #expect(atStallEnd.messages <= congested.messages + 1, "sent \(atStallEnd.messages - congested.messages) more messages to a client that was not reading")
        #expect(atStallEnd.maxPendingSymbols <= symbols, "held more than one value per symbol")
        #expect(atStallEnd.skipped > 0, "nothing was coalesced")

        // It resumed with the latest values: exactly the final price of every symbol, and no
        // symbol ever went back to an older value.
        var slowView: [String: Quote] = [:]
        for arrival in slowArrivals { Self.apply(arrival.quotes, to: &slowView) }
        #expect(slowView == snapshot, "differs: \(snapshot.values.filter { slowView[$0.symbol] != $0 }.map { "\($0.symbol) \(slowView[$0.symbol]?.seq ?? -1) vs \($0.seq)" }) stats \(feed.stats())")
        #expect(slowArrivals.contains { $0.skipped > 0 }, "the catch-up batch reports the skipped updates")

        // The fast client kept receiving throughout the slow client's stall, and ends with the
        // final prices too.
        // (Whole seconds: on a shared machine a test thread can be descheduled for a few hundred
        // milliseconds; a fast client stalled behind the slow one would get nothing for seconds.)
        for from in stride(from: stallStart, to: stallEnd - 1, by: 1) {
            #expect(fastArrivals.contains { $0.at >= from && $0.at < from + 1 },
                    "the fast client got nothing between \(from - stallStart) s and \(from - stallStart + 1) s of the stall")
        }
        var fastView: [String: Quote] = [:]
        for arrival in fastArrivals { Self.apply(arrival.quotes, to: &fastView) }
        #expect(fastView == snapshot)
    }

    @Test("a burst of SET_RATE from a client that does not throttle is refused with RESOURCE_EXHAUSTED; accepted changes reach every client")
    func unthrottledBurstIsRateLimited() async throws {
        let feed = LiveFeed(symbols: 4, perSecond: 0)
        let server = try FeedServer(feed: feed, port: 0) { $0.logger = NoLogger() }
        try server.start()
        defer { server.shutdown() }
        let port = server.port
        let (codes, rates) = try await runBlocking {
            let watcher = try RawClient.upgraded(port: port, path: "/feed?name=watcher")
            let eager = try RawClient.upgraded(port: port, path: "/feed?name=eager")
            for perSecond in 1...20 {
                eager.sendText(#"{"type":"SET_RATE","meta":{},"payload":{"perSecond":\#(perSecond)}}"#)
            }
            var codes: [String] = []
            var deadline = monotonicSeconds() + 3
            while monotonicSeconds() < deadline, let frame = try? eager.readFrame() {
                let object = try JSONSerialization.jsonObject(with: Data(frame.payload)) as? [String: Any]
                if object?["type"] as? String == "ERROR", let payload = object?["payload"] as? [String: Any] {
                    codes.append(payload["code"] as? String ?? "?")
                }
                if codes.count >= 15 { break }
            }
            var rates: [Int] = []
            deadline = monotonicSeconds() + 3
            while monotonicSeconds() < deadline, rates.last != feed.perSecond, let frame = try? watcher.readFrame() {
                let object = try JSONSerialization.jsonObject(with: Data(frame.payload)) as? [String: Any]
                if object?["type"] as? String == FeedRate.type, let payload = object?["payload"] as? [String: Any] {
                    rates.append(payload["perSecond"] as? Int ?? -1)
                }
            }
            return (codes, rates)
        }
        #expect(!codes.isEmpty && codes.allSatisfy { $0 == "RESOURCE_EXHAUSTED" }, "codes: \(codes)")
        #expect(codes.count >= 10, "the burst's capacity is 5: at least 15 of 20 are refused (got \(codes.count) refusals)")
        #expect(feed.perSecond >= 1 && feed.perSecond <= 6)
        #expect(rates.first == 0, "a new client is told the rate")
        #expect(rates.last == feed.perSecond, "the watcher saw every accepted change: \(rates)")
    }
}
