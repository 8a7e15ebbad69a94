import Testing
import WSKitServer

/// The per-address limiter without sockets: the server's clock is a number the test advances.
@Suite("Client address limiter: connections and handshake rate per address, on a given clock")
struct ClientAddressLimiterTests {
    private let second: UInt64 = 1_000_000_000

    private func limiter(_ maxConnections: Int = .max, rate: HandshakeRate? = nil, exemptLoopback: Bool = true, maxTracked: Int = 65_536) -> ClientAddressLimiter {
        ClientAddressLimiter(limits: ClientAddressLimits(
            maxConnections: maxConnections, handshakeRate: rate, exemptLoopback: exemptLoopback, maxTrackedAddresses: maxTracked))
    }

    @Test("an address gets maxConnections at once; a close frees one place; other addresses are separate")
    func connectionsPerAddress() {
        var limits = limiter(3)
        for _ in 0 ..< 3 { #expect(limits.open("203.0.113.1", now: 0) == .admitted) }
        #expect(limits.open("203.0.113.1", now: 0) == .tooManyConnections)
        #expect(limits.open("203.0.113.2", now: 0) == .admitted)
        limits.close("203.0.113.1", now: 0)
        #expect(limits.connections(from: "203.0.113.1") == 2)
        #expect(limits.open("203.0.113.1", now: 0) == .admitted)
        #expect(limits.open("203.0.113.1", now: 0) == .tooManyConnections)
    }

    @Test("a burst is admitted, then one handshake per emission interval, with the time to wait")
    func tokenBucket() {
        // 2 per second (one every 0.5 s), bursts of 4.
        var limits = limiter(rate: HandshakeRate(2, per: .seconds(1), burst: 4))
        for _ in 0 ..< 4 { #expect(limits.open("198.51.100.9", now: 10 * second) == .admitted) }
        #expect(limits.open("198.51.100.9", now: 10 * second) == .tooManyHandshakes(retryAfter: .milliseconds(500)))
        #expect(limits.open("198.51.100.9", now: 10 * second + second / 4) == .tooManyHandshakes(retryAfter: .milliseconds(250)))
        #expect(limits.open("198.51.100.9", now: 10 * second + second / 2) == .admitted)
        #expect(limits.open("198.51.100.9", now: 10 * second + second / 2) == .tooManyHandshakes(retryAfter: .milliseconds(500)))
        // A quiet period refills the bucket, but never beyond the burst.
        let later = 100 * second
        for _ in 0 ..< 4 { #expect(limits.open("198.51.100.9", now: later) == .admitted) }
        #expect(limits.open("198.51.100.9", now: later) != .admitted)
        // Another address has its own bucket.
        #expect(limits.open("198.51.100.10", now: later) == .admitted)
    }

    @Test("a refused handshake costs no token: a client retrying too fast is admitted at the sustained rate")
    func refusalsAreFree() {
        var limits = limiter(rate: HandshakeRate(10, per: .seconds(1), burst: 1))
        var admitted = 0
        // Retrying every millisecond for one second.
        for millisecond in 0 ..< 1000 where limits.open("192.0.2.1", now: UInt64(millisecond) * 1_000_000) == .admitted {
            admitted += 1
            limits.close("192.0.2.1", now: UInt64(millisecond) * 1_000_000)
        }
        #expect(admitted == 10)
    }

    @Test("IPv6 clients are counted per /64 by default: rotating addresses inside one network does not escape the limit")
    func ipv6PerPrefix() {
        var limits = limiter(2, rate: HandshakeRate(1, per: .seconds(1), burst: 3))
        #expect(limits.open("2001:db8:1:2::1", now: 0) == .admitted)
        #expect(limits.open("2001:db8:1:2:ffff:ffff:ffff:fffe", now: 0) == .admitted)
        #expect(limits.open("2001:db8:1:2:abcd::9", now: 0) == .tooManyConnections)
        #expect(limits.connections(from: "2001:db8:1:2::77") == 2)
        // The next /64 is another client; brackets and zones name the same address.
        #expect(limits.open("2001:db8:1:3::1", now: 0) == .admitted)
        #expect(limits.connections(from: "[2001:db8:1:3::1]") == 1)
        #expect(limits.connections(from: "2001:db8:1:3::1%eth0") == 1)
        // A close from any address of the prefix frees its place.
        limits.close("2001:db8:1:2::1", now: 0)
        #expect(limits.open("2001:db8:1:2::5", now: 0) == .admitted)
        // The handshake rate is per prefix too: the burst of 3 is spent (2 + 1 above).
        limits.close("2001:db8:1:2::5", now: 0)
        #expect(limits.open("2001:db8:1:2::6", now: 0) == .tooManyHandshakes(retryAfter: .seconds(1)))
    }

    @Test("the IPv6 prefix is configurable; IPv4-mapped addresses count as their IPv4 address")
    func ipv6PrefixLengthAndMappedAddresses() {
        var full = ClientAddressLimiter(limits: ClientAddressLimits(maxConnections: 1, handshakeRate: nil, ipv6PrefixLength: 128))
        #expect(full.open("2001:db8::1", now: 0) == .admitted)
        #expect(full.open("2001:db8::2", now: 0) == .admitted)
        #expect(full.open("2001:db8:0:0:0:0:0:1", now: 0) == .tooManyConnections)
        var wide = ClientAddressLimiter(limits: ClientAddressLimits(maxConnections: 1, handshakeRate: nil, ipv6PrefixLength: 48))
        #expect(wide.open("2001:db8:7:1::1", now: 0) == .admitted)
        #expect(wide.open("2001:db8:7:ffff::1", now: 0) == .tooManyConnections)
        #expect(wide.open("2001:db8:8::1", now: 0) == .admitted)
        var mapped = limiter(1)
        #expect(mapped.open("::ffff:203.0.113.7", now: 0) == .admitted)
        #expect(mapped.open("203.0.113.7", now: 0) == .tooManyConnections)
        #expect(mapped.key("::ffff:203.0.113.7") == "203.0.113.7")
        #expect(mapped.key("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64")
        #expect(mapped.key("not:an:address") == "not:an:address")
    }

    @Test("loopback and listed addresses are exempt unless told otherwise; unlimited limits nothing")
    func exemptions() {
        var limits = limiter(1, rate: HandshakeRate(1, per: .seconds(1)))
        for address in ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"] {
            #expect(limits.open(address, now: 0) == .exempt)
            #expect(limits.open(address, now: 0) == .exempt)
        }
        var strict = limiter(1, exemptLoopback: false)
        #expect(strict.open("127.0.0.1", now: 0) == .admitted)
        #expect(strict.open("127.0.0.1", now: 0) == .tooManyConnections)
        var listed = ClientAddressLimiter(limits: ClientAddressLimits(maxConnections: 1, exemptAddresses: ["10.1.2.3"]))
        #expect(listed.open("10.1.2.3", now: 0) == .exempt)
        #expect(listed.open("10.1.2.4", now: 0) == .admitted)
        var unlimited = ClientAddressLimiter(limits: .unlimited)
        #expect(unlimited.open("203.0.113.1", now: 0) == .exempt)
        #expect(unlimited.trackedAddresses == 0)
    }

    @Test("the table forgets closed addresses whose bucket is full, and stays bounded under many addresses")
    func boundedTable() {
        var limits = limiter(10, rate: HandshakeRate(1, per: .seconds(1), burst: 5), maxTracked: 1_000)
        #expect(limits.open("203.0.113.1", now: 0) == .admitted)
        limits.close("203.0.113.1", now: 2 * second)
        #expect(limits.trackedAddresses == 0, "closed with a full bucket: nothing to remember")
        // 100,000 addresses, one handshake each, all closed at once (their buckets not yet full).
        var peak = 0
        for index in 0 ..< 100_000 {
            let address = "10.\(index >> 16).\((index >> 8) & 255).\(index & 255)"
            #expect(limits.open(address, now: UInt64(index) * 1_000) == .admitted)
            limits.close(address, now: UInt64(index) * 1_000)
            peak = max(peak, limits.trackedAddresses)
        }
        #expect(peak <= 1_500)
        // Addresses with open connections are never forgotten (their count must stay right).
        var held = limiter(2, maxTracked: 10)
        for index in 0 ..< 50 { #expect(held.open("10.0.0.\(index)", now: 0) == .admitted) }
        #expect(held.trackedAddresses == 50)
        #expect(held.open("10.0.0.7", now: 0) == .admitted)
        #expect(held.open("10.0.0.7", now: 0) == .tooManyConnections)
    }

    @Test("a trusted proxy's forwarded address: the last element, only if it is an address literal")
    func forwardedAddress() {
        #expect(forwardedClientAddress("203.0.113.7") == "203.0.113.7")
        #expect(forwardedClientAddress("1.2.3.4, 203.0.113.7") == "203.0.113.7")
        #expect(forwardedClientAddress(" 2001:db8::1 ") == "2001:db8::1")
        #expect(forwardedClientAddress("203.0.113.7, ") == nil)
        #expect(forwardedClientAddress("unknown") == nil)
        #expect(forwardedClientAddress("<script>") == nil)
        #expect(forwardedClientAddress(String(repeating: "1.", count: 40)) == nil)
        #expect(forwardedClientAddress("") == nil)
    }
}
