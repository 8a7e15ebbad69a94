import Testing
import WSKitRouter

@Suite("TraceParent: W3C traceparent parsing")
struct TraceParentTests {
    @Test("a valid header parses into its fields and prints back unchanged")
    func valid() throws {
        let header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let parsed = try #require(TraceParent(header))
        #expect(parsed.traceId == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(parsed.parentId == "00f067aa0ba902b7")
        #expect(parsed.isSampled)
        #expect(parsed.description == header)
        #expect(TraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")?.isSampled == false)
    }

    @Test("malformed headers are rejected, never trusted", arguments: [
        "", "garbage", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
        "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",
        "0x-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    ])
    func malformed(_ header: String) {
        #expect(TraceParent(header) == nil)
    }

    @Test("a later version is read by its first four fields")
    func laterVersion() {
        #expect(TraceParent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-ever")?.traceId
            == "4bf92f3577b34da6a3ce929d0e0e4736")
    }
}
